"""Writing posts: the create_post service and the composer's pages (profile and group), with
the bad input the issue lists: markup, length, images, permissions, rate and retries."""

import io
import re
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from core.errors import InvalidInput, NotAllowed, NotFound, RateLimited, TooLarge
from core.sanitizer import ALLOWED_TAGS
from network import signals
from network.models import Group, GroupMembership, Mention, Post, PostImage
from network.services.posts import create_post
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, PostFactory, add_member

# Images ---------------------------------------------------------------------------------------


def image_upload(name="photo.jpg", fmt="JPEG", size=(64, 48), exif=None, color="red"):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buffer, fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def camera_exif(orientation=6):
    """EXIF as a phone writes it: who took it, with what, where, and which way up."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x013B] = "Ana Secret"  # Artist
    exif[0x8825] = {1: "N", 2: (43.0, 17.0, 30.0), 3: "E", 4: (5.0, 22.0, 10.0)}  # GPS
    return exif


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb() -> SimpleUploadedFile:
    """A valid-looking PNG of a few hundred bytes whose header claims 100,000 × 100,000 px."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


# Markup checks --------------------------------------------------------------------------------

BAD_SCHEMES = ("javascript", "data", "vbscript")


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script" and not dict(attrs).get("src"):
            self.inline_scripts += 1


def assert_harmless(html: str, *, whole_page: bool = False) -> None:
    """No script, no event handler, no style, no dangerous URL; in a fragment, only the
    sanitiser's allowed tags."""
    parser = _Markup()
    parser.feed(html)
    assert parser.inline_scripts == 0
    for tag, attrs in parser.elements:
        if not whole_page:
            assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if not whole_page:
                assert name in ("href", "rel"), (tag, name)
            if name in ("href", "src", "action", "formaction", "data", "background"):
                # Browsers ignore control characters and spaces inside the scheme.
                squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not squeezed.startswith(BAD_SCHEMES), (tag, name, value)
        if tag == "a" and "href" in attrs and not whole_page:
            assert attrs.get("rel") == "nofollow ugc noopener"


# From OWASP's XSS Filter Evasion Cheat Sheet.
XSS_VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">click</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    '&#0000116&#0000058alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="jav\tascript:alert(1)">click</a>',
    '<a href=" &#14;  javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "<DIV STYLE=\"width: expression(alert('XSS'));\">styled</DIV>",
    "<p style=\"background-image: url(javascript:alert('XSS'))\">styled</p>",
    "<STYLE>@import'https://xss.rocks/xss.css';</STYLE>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.rocks/scriptlet.html"></OBJECT>',
    (
        '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub'
        "3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5r"
        "PSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHd"
        "pZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcm"
        'lwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml"></EMBED>'
    ),
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red">fine link</a>',
]


# The service ----------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_stored_harmless_in_a_post(user, client, vector):
    post = create_post(actor=user, body=f"Bonjour {vector} fin")
    assert_harmless(post.body)
    assert "<script" not in post.body_text.lower()
    client.force_login(user)
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert_harmless(page.content.decode(), whole_page=True)


def test_links_get_rel_nofollow_ugc_noopener(user):
    post = create_post(
        actor=user,
        body="Voir https://territoire.fr/agenda et <a href='https://a.example'>ça</a>",
    )
    assert post.body.count('rel="nofollow ugc noopener"') == 2


def test_plain_text_becomes_paragraphs_lists_bold_and_italics(user):
    post = create_post(
        actor=user, body="Premier **gras** et *italique*\nligne deux\n\n- un\n- deux\n\n1. a\n2. b"
    )
    assert post.body == (
        "<p>Premier <strong>gras</strong> et <em>italique</em><br>ligne deux</p>"
        "<ul><li>un</li><li>deux</li></ul><ol><li>a</li><li>b</li></ol>"
    )
    assert post.body_text.startswith("Premier gras et italique")


def test_a_post_is_published_on_the_profile_with_sanitised_text(user):
    post = create_post(actor=user, body="<p>Salut <b>tout</b> le monde</p>")
    assert post.status == Post.Status.PUBLISHED
    assert post.group is None
    assert post.body == "<p>Salut <b>tout</b> le monde</p>"
    assert post.body_text == "Salut tout le monde"


def test_a_post_over_10000_characters_is_refused(user):
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="a" * 10_001)
    assert not Post.objects.exists()


def test_a_post_of_exactly_10000_characters_is_accepted(user):
    assert len(create_post(actor=user, body="a" * 10_000).body_text) == 10_000


def test_markup_does_not_count_towards_the_length(user):
    body = "<p>" + "<strong>abc</strong> " * 1800 + "</p>"
    assert len(body) > 40_000 // 2
    assert len(create_post(actor=user, body=body).body_text) < 10_000


@pytest.mark.parametrize("body", ["", "   ", "<p></p>", "<script></script>", "<br><br>"])
def test_an_empty_post_is_refused(user, body):
    with pytest.raises(InvalidInput):
        create_post(actor=user, body=body)
    assert not Post.objects.exists()


def test_a_suspended_member_cannot_post(user):
    from datetime import timedelta

    from django.utils import timezone

    user.suspended_until = timezone.now() + timedelta(days=1)
    user.save()
    with pytest.raises(NotAllowed):
        create_post(actor=user, body="Bonjour")
    assert not Post.objects.exists()


# Groups


@pytest.mark.parametrize("visibility", list(Group.Visibility))
def test_a_member_posts_in_a_group(user, visibility):
    group = GroupFactory(visibility=visibility)
    add_member(group, user)
    post = create_post(actor=user, body="Bonjour", group=group)
    assert post.group == group


@pytest.mark.parametrize(
    ("visibility", "error"),
    [
        (Group.Visibility.PUBLIC, NotAllowed),
        (Group.Visibility.PRIVATE, NotAllowed),
        (Group.Visibility.SECRET, NotFound),
    ],
)
def test_a_non_member_cannot_post_in_a_group(user, visibility, error):
    group = GroupFactory(visibility=visibility)
    with pytest.raises(error):
        create_post(actor=user, body="Bonjour", group=group)
    assert not Post.objects.exists()


# Tags


def test_tags_are_cleaned_and_deduplicated(user):
    post = create_post(actor=user, body="Bonjour", tags=["#Vélo", "vélo", " <b>mer</b> ", ""])
    assert {tag.name for tag in post.tags.all()} == {"mer", "Vélo"}


def test_more_than_ten_tags_are_refused(user):
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="Bonjour", tags=[f"t{n}" for n in range(11)])
    assert not Post.objects.exists()


def test_tags_can_come_as_a_comma_separated_string(user):
    post = create_post(actor=user, body="Bonjour", tags="port, marché")
    assert sorted(tag.name for tag in post.tags.all()) == ["marché", "port"]


# Images


def test_images_are_stored_in_order(user):
    post = create_post(
        actor=user,
        body="Photos",
        images=[
            image_upload("a.jpg"),
            image_upload("b.png", "PNG"),
            image_upload("c.webp", "WEBP"),
        ],
    )
    images = list(post.images.all())
    assert [image.position for image in images] == [0, 1, 2]
    assert [image.image.name.rsplit(".", 1)[1] for image in images] == ["jpg", "png", "webp"]


def test_exif_is_removed_and_orientation_applied(user):
    upload = image_upload(size=(64, 48), exif=camera_exif(orientation=6))
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()[0x013B] == "Ana Secret"
    upload.seek(0)
    post = create_post(actor=user, body="Photo", images=[upload])
    stored = post.images.get()
    with stored.image.open("rb") as handle, Image.open(handle) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.size == (48, 64)  # turned upright
    assert (stored.width, stored.height) == (48, 64)


def test_large_images_are_resized_to_1600_pixels(user):
    post = create_post(actor=user, body="Grand", images=[image_upload(size=(3200, 1000))])
    stored = post.images.get()
    assert (stored.width, stored.height) == (1600, 500)


def test_an_image_only_post_is_accepted(user):
    post = create_post(actor=user, body="", images=[image_upload()])
    assert post.body == "" and post.images.count() == 1


def test_five_images_are_refused(user):
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="Trop", images=[image_upload() for _ in range(5)])
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_a_non_image_renamed_jpg_is_refused(user):
    fake = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00 this is a program", content_type="image/jpeg"
    )
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="Photo", images=[fake])
    assert not Post.objects.exists()


def test_a_decompression_bomb_is_refused(user):
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="Photo", images=[decompression_bomb()])
    assert not Post.objects.exists()


def test_an_image_over_5_mb_is_too_large(user):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "image/jpeg")
    with pytest.raises(TooLarge):
        create_post(actor=user, body="Photo", images=[big])
    assert not Post.objects.exists()


# Rate limit and idempotency


def test_the_eleventh_post_in_a_minute_is_rate_limited(user):
    for n in range(10):
        create_post(actor=user, body=f"Post {n}")
    with pytest.raises(RateLimited):
        create_post(actor=user, body="One too many")
    assert Post.objects.count() == 10


def test_the_same_idempotency_key_returns_the_first_post(user):
    first = create_post(actor=user, body="Une fois", idempotency_key="abc")
    again = create_post(actor=user, body="Une fois", idempotency_key="abc")
    assert again.pk == first.pk
    assert Post.objects.count() == 1


def test_idempotency_keys_belong_to_their_author(user):
    other = UserFactory()
    create_post(actor=other, body="Autre", idempotency_key="abc")
    create_post(actor=user, body="Moi", idempotency_key="abc")
    assert Post.objects.count() == 2


def test_a_retry_does_not_count_against_the_rate_limit(user):
    for n in range(10):
        create_post(actor=user, body=f"Post {n}", idempotency_key=f"k{n}")
    assert create_post(actor=user, body="Post 9", idempotency_key="k9").body_text == "Post 9"


def test_a_new_post_looks_no_key_up_and_a_retry_stops_at_the_unique_index(user):
    """Retries are rare: a new post is inserted without looking its key up first, and the
    unique index stops a retry (or a racing duplicate), which answers with the first post."""
    with CaptureQueriesContext(connection) as queries:
        first = create_post(actor=user, body="Course", idempotency_key="race")
    lookups = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in lookups if "idempotency_key" in sql.split("WHERE")[-1]]

    assert create_post(actor=user, body="Course", idempotency_key="race").pk == first.pk
    assert Post.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_post_of_text_alone_is_one_statement_and_one_with_tags_a_transaction():
    user = UserFactory()

    def statements(**fields):
        with CaptureQueriesContext(connection) as queries:
            create_post(actor=user, **fields)
        return [q["sql"].split()[0] for q in queries]

    # The first read of the moderation rules creates their settings' rows (which changes the
    # rules' generation, so they are not kept); the second read keeps them in the cache.
    create_post(actor=user, body="Le premier lit les règles de modération.")
    create_post(actor=user, body="Le deuxième les garde en cache.")
    assert statements(body="Du texte seul.", idempotency_key="a") == ["INSERT"]
    assert statements(body="Du texte seul.", idempotency_key="a") == ["INSERT", "SELECT"]
    assert Post.objects.count() == 3  # the first two and the one with key "a": the retry none
    with_tags = statements(body="Avec des tags.", tags=["marché"])
    assert with_tags[0] == "BEGIN" and with_tags[-1] == "COMMIT"
    assert Post.objects.get(body_text="Avec des tags.").tags.get().name == "marché"


def test_a_retry_gives_its_count_back_in_the_minute_it_was_counted_in(user, monkeypatch):
    from django.core.cache import cache

    create_post(actor=user, body="Une fois", idempotency_key="k")
    # The retry is counted at :10, and stopped at the unique index after the minute turned.
    clock = iter([1_700_000_010.0, 1_700_000_070.0])
    monkeypatch.setattr("core.ratelimit.now", lambda: next(clock))
    create_post(actor=user, body="Une fois", idempotency_key="k")

    assert cache.get(f"ratelimit:post:{user.pk}:{1_700_000_010 // 60}") == 1
    assert cache.get(f"ratelimit:post:{user.pk}:{1_700_000_070 // 60}") is None


def test_retries_give_their_count_back(user):
    for n in range(9):
        create_post(actor=user, body=f"Post {n}", idempotency_key=f"k{n}")
    for _ in range(5):
        create_post(actor=user, body="Post 8", idempotency_key="k8")
    create_post(actor=user, body="Post 9", idempotency_key="k9")  # the tenth
    with pytest.raises(RateLimited):
        create_post(actor=user, body="Post 10", idempotency_key="k10")
    assert Post.objects.count() == 10


def test_an_integrity_error_without_a_key_is_not_swallowed(user, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(Post.objects, "create", broken)
    with pytest.raises(IntegrityError):
        create_post(actor=user, body="Bonjour")


# Mentions and signals


@pytest.fixture
def received():
    """Signals of the network sent during a test, by name."""
    caught = {}

    def catcher(name):
        def receive(sender, **kwargs):
            caught.setdefault(name, []).append(kwargs)

        return receive

    receivers = {
        name: catcher(name) for name in ("post_created", "members_mentioned", "post_edited")
    }
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    yield caught
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_post_created_is_sent_after_commit(user, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = create_post(actor=user, body="Bonjour")
    assert "post_created" not in received
    for callback in callbacks:
        callback()
    assert received["post_created"] == [
        {"signal": signals.post_created, "post": post, "actor": user}
    ]


def test_mentions_of_members_who_can_read_are_stored_and_sent(
    user, received, django_capture_on_commit_callbacks
):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(group, user)
    hugo = add_member(group, UserFactory(username="hugo")).user
    camille = UserFactory(username="camille")  # not a member
    UserFactory(username="gone", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(
            actor=user,
            body=f"Merci @hugo, @Camille, @gone, @nobody et @{user.username}. mail: x@hugo.fr",
            group=group,
        )
    assert list(Mention.objects.values_list("user__username", flat=True)) == ["hugo"]
    assert received["members_mentioned"][0]["users"] == [hugo]
    assert received["members_mentioned"][0]["post"] == post
    assert camille.mentions.count() == 0


def test_anyone_active_can_be_mentioned_on_a_profile_post(user, django_capture_on_commit_callbacks):
    nina = UserFactory(username="nina")
    post = create_post(actor=user, body="Bravo @nina.")
    assert list(post.mentions.values_list("user", flat=True)) == [nina.pk]


def test_mentions_link_to_the_members_page(user):
    UserFactory(username="hugo")
    post = create_post(
        actor=user,
        body='Merci @hugo. Voir <a href="https://site.fr/@hugo">@hugo</a> et @inconnu',
    )
    assert post.body == (
        '<p>Merci <a href="/people/hugo/" rel="nofollow ugc noopener">@hugo</a>. '
        'Voir <a href="https://site.fr/@hugo" rel="nofollow ugc noopener">@hugo</a> et @inconnu</p>'
    )
    assert_harmless(post.body)


def test_a_member_who_cannot_read_the_group_is_not_linked(user):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(group, user)
    UserFactory(username="camille")
    post = create_post(actor=user, body="Bonjour @camille", group=group)
    assert post.body == "<p>Bonjour @camille</p>"


def test_agency_staff_can_be_mentioned_in_a_private_group(user):
    group = GroupFactory(visibility=Group.Visibility.SECRET)
    add_member(group, user)
    staff = UserFactory(username="agence", is_staff=True)
    post = create_post(actor=user, body="@agence regardez", group=group)
    assert list(post.mentions.values_list("user", flat=True)) == [staff.pk]


# Sharing


@pytest.fixture
def story(db):
    from tests.content import factories_pages as pages

    return pages.story(pages.story_index(), "Les halles rouvrent", search_description="Enfin.")


def test_a_public_page_can_be_shared_with_a_preview_card(user, client, story):
    post = create_post(actor=user, body="À lire", shared_page=story)
    assert post.shared_page.pk == story.pk
    client.force_login(user)
    content = client.get(post.get_absolute_url()).content.decode()
    assert "Les halles rouvrent" in content
    assert story.url in content


def test_an_unpublished_page_cannot_be_shared(user, story):
    story.unpublish()
    with pytest.raises(InvalidInput):
        create_post(actor=user, body="À lire", shared_page=story)


def test_a_visible_post_can_be_quote_shared(user, client):
    original = PostFactory(body="<p>Le marché est ouvert</p>", body_text="Le marché est ouvert")
    post = create_post(actor=user, body="Bonne nouvelle", shared_post=original)
    assert post.shared_post == original
    client.force_login(user)
    assert "Le marché est ouvert" in client.get(post.get_absolute_url()).content.decode()


def test_a_post_one_cannot_see_cannot_be_shared(user):
    secret = GroupFactory(visibility=Group.Visibility.SECRET)
    hidden = PostFactory(group=secret)
    with pytest.raises(NotFound):
        create_post(actor=user, body="Regardez", shared_post=hidden)


def test_a_shared_post_is_not_shown_to_who_cannot_read_it(user, client):
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(private, user)
    original = PostFactory(group=private, body="<p>Entre nous</p>", body_text="Entre nous")
    post = create_post(actor=user, body="Partage", shared_post=original)
    client.force_login(UserFactory())
    content = client.get(post.get_absolute_url()).content.decode()
    assert "Entre nous" not in content
    assert "La publication partagée n'est pas disponible." in content


# The composer pages ---------------------------------------------------------------------------


def composer_key(client, url="/feed/") -> str:
    content = client.get(url).content.decode()
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', content).group(1)


def test_the_profile_composer_publishes_and_returns(auth_client, user):
    key = composer_key(auth_client)
    response = auth_client.post(
        "/posts/new/", {"body": "Bonjour", "idempotency_key": key, "next": "/feed/"}
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/feed/#post-{post.pk}"
    assert post.author == user and post.body == "<p>Bonjour</p>"


def test_a_double_submitted_form_creates_one_post(auth_client):
    key = composer_key(auth_client)
    for _ in range(2):
        response = auth_client.post("/posts/new/", {"body": "Une fois", "idempotency_key": key})
        assert response.status_code == 302
    assert Post.objects.count() == 1


def test_each_rendered_composer_has_its_own_key(auth_client):
    assert composer_key(auth_client) != composer_key(auth_client)


def test_the_group_composer_posts_in_the_group(auth_client, user):
    group = GroupFactory()
    add_member(group, user)
    response = auth_client.post(f"/groups/{group.slug}/posts/", {"body": "Salut le groupe"})
    assert response.status_code == 302
    assert response["Location"].startswith(group.get_absolute_url())
    assert Post.objects.get().group == group


def test_the_group_page_shows_the_composer_to_members(auth_client, user):
    group = GroupFactory()
    add_member(group, user)
    content = auth_client.get(group.get_absolute_url()).content.decode()
    assert f'action="/groups/{group.slug}/posts/"' in content


@pytest.mark.parametrize(
    ("visibility", "status"),
    [
        (Group.Visibility.PUBLIC, 403),
        (Group.Visibility.PRIVATE, 403),
        (Group.Visibility.SECRET, 404),
    ],
)
def test_posting_in_a_group_one_is_not_a_member_of_changes_nothing(auth_client, visibility, status):
    group = GroupFactory(visibility=visibility)
    response = auth_client.post(f"/groups/{group.slug}/posts/", {"body": "Intrus"})
    assert response.status_code == status
    assert not Post.objects.exists()


def test_posting_in_an_unknown_group_is_404(auth_client):
    assert auth_client.post("/groups/nowhere/posts/", {"body": "x"}).status_code == 404


def test_a_former_member_cannot_post(auth_client, user):
    group = GroupFactory()
    membership = add_member(group, user)
    GroupMembership.objects.filter(pk=membership.pk).delete()
    assert auth_client.post(f"/groups/{group.slug}/posts/", {"body": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    response = client.post("/posts/new/", {"body": "x"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("data", "files", "status"),
    [
        ({"body": "a" * 10_001}, {}, 400),
        ({"body": ""}, {}, 400),
        ({"body": "x", "tags": ",".join(f"t{n}" for n in range(11))}, {}, 400),
        ({"body": "x"}, {"images": [image_upload() for _ in range(5)]}, 400),
        ({"body": "x"}, {"images": [SimpleUploadedFile("a.jpg", b"not an image")]}, 400),
        ({"body": "x"}, {"images": [decompression_bomb()]}, 400),
        (
            {"body": "x"},
            {"images": [SimpleUploadedFile("a.jpg", b"0" * (5 * 1024 * 1024 + 1))]},
            413,
        ),
    ],
    ids=["too-long", "empty", "tags", "five-images", "non-image", "bomb", "too-large"],
)
def test_bad_posts_answer_with_the_form_and_its_error(auth_client, data, files, status):
    response = auth_client.post("/posts/new/", {**data, **files})
    assert response.status_code == status
    assert 'class="form-errors"' in response.content.decode()
    assert not Post.objects.exists()


def test_the_form_keeps_the_text_after_an_error(auth_client):
    response = auth_client.post(
        "/posts/new/", {"body": "Mon texte", "tags": ",".join("abcdefghijk")}
    )
    assert "Mon texte" in response.content.decode()


def test_the_eleventh_post_through_the_form_answers_429(auth_client):
    for n in range(10):
        assert auth_client.post("/posts/new/", {"body": f"Post {n}"}).status_code == 302
    assert auth_client.post("/posts/new/", {"body": "Encore"}).status_code == 429
    assert Post.objects.count() == 10


def test_images_can_be_posted_through_the_form(auth_client):
    response = auth_client.post(
        "/posts/new/", {"body": "Photos", "images": [image_upload("a.jpg"), image_upload("b.jpg")]}
    )
    assert response.status_code == 302
    assert Post.objects.get().images.count() == 2


def test_the_composer_page_opens_with_a_shared_page(auth_client, story):
    content = auth_client.get(f"/posts/new/?share_page={story.pk}").content.decode()
    assert "Les halles rouvrent" in content
    assert f'name="shared_page" value="{story.pk}"' in content
    response = auth_client.post("/posts/new/", {"body": "", "shared_page": story.pk})
    assert response.status_code == 302
    assert Post.objects.get().shared_page_id == story.pk


def test_the_composer_page_refuses_to_share_a_hidden_post(auth_client):
    hidden = PostFactory(group=GroupFactory(visibility=Group.Visibility.SECRET))
    assert auth_client.get(f"/posts/new/?share_post={hidden.pk}").status_code == 404
    response = auth_client.post("/posts/new/", {"body": "x", "shared_post": hidden.pk})
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_next_urls_elsewhere_are_ignored(auth_client):
    response = auth_client.post("/posts/new/", {"body": "x", "next": "https://evil.example/"})
    assert response["Location"].startswith("/feed/")


# Reading a post -------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE, Group.Visibility.SECRET])
def test_a_closed_group_post_is_404_for_non_members(auth_client, client, visibility):
    post = PostFactory(group=GroupFactory(visibility=visibility))
    assert auth_client.get(post.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_public_post_is_readable_by_anyone(db, client):
    post = PostFactory(body="<p>Ouvert</p>")
    assert "Ouvert" in client.get(post.get_absolute_url()).content.decode()


def test_an_unknown_post_is_404(auth_client):
    assert auth_client.get("/posts/999999/").status_code == 404


def test_a_post_card_shows_author_group_edited_mark_and_tags(auth_client, user):
    from django.utils import timezone

    group = GroupFactory(name="Club du port")
    post = PostFactory(group=group, edited_at=timezone.now())
    post.tags.add("marché")
    content = auth_client.get(post.get_absolute_url()).content.decode()
    assert post.author.get_display_name() in content
    assert "Club du port" in content
    assert "edited" in content
    assert "#marché" in content
