"""Every image a member uploads is re-encoded without its metadata, whatever the path it came
by: avatars, organisation logos, suggestion and story photos, post images, Wagtail images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

from content.services.contributions import propose_story, submit_suggestion
from network.services.organisations import create_organisation, update_organisation
from network.services.posts import create_post
from tests.content import factories_contrib as contrib
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MODEL_TAG = 0x0110
MAKE_TAG = 0x010F


def jpeg_with_gps(name="IMG_2041.jpg") -> SimpleUploadedFile:
    """A phone photo: camera make and model, and where it was taken (Pointe du Raz)."""
    exif = Image.Exif()
    exif[MAKE_TAG] = "Google"
    exif[MODEL_TAG] = "Pixel 9"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (48.0, 2.0, 30.0), 3: "W", 4: (4.0, 44.0, 20.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 140)).save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries them
        assert check.getexif().get_ifd(GPS_IFD) and check.getexif()[MODEL_TAG] == "Pixel 9"
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gif_js_polyglot() -> bytes:
    """A valid GIF whose bytes also run as JavaScript if served as a script."""
    buffer = io.BytesIO()
    Image.new("P", (2, 2)).save(buffer, "GIF", comment=b"*/=1;alert(document.domain);/*")
    return buffer.getvalue() + b"*/;alert(1);"


def assert_clean(field_file, *, uploaded: bytes) -> None:
    field_file.open("rb")
    stored = field_file.read()
    field_file.close()
    assert stored != uploaded
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert MODEL_TAG not in exif and MAKE_TAG not in exif
    assert b"Pixel 9" not in stored and b"alert" not in stored


@pytest.fixture
def member():
    return UserFactory(username="maelle")


def upload_avatar(member, upload):
    member.avatar = upload
    member.save()
    return member.avatar


def upload_logo(member, upload):
    organisation = create_organisation(actor=member, name="Conserverie Kerlann", sector="food")
    organisation = update_organisation(actor=member, organisation=organisation, logo=upload)
    organisation.refresh_from_db()
    return organisation.logo


def upload_suggestion_photo(member, upload):
    member.groups.add(contrib.contributor("camille").groups.first())
    suggestion = submit_suggestion(
        author=member, page=contrib.destination(), what_is_wrong="Fermé l'hiver.", photo=upload
    )
    return suggestion.photo.file


def upload_story_photo(member, upload):
    member.groups.add(contrib.contributor("camille").groups.first())
    contrib.story_index()
    story = propose_story(
        author=member, title="Au phare", text="Une belle journée.", images=[upload]
    )
    return get_image_model().objects.get(uploaded_by_user=member, title__contains=story.title).file


def upload_post_image(member, upload):
    post = create_post(actor=member, body="Vue du phare", images=[upload])
    return post.images.get().image


def upload_wagtail_image(member, upload):
    return get_image_model().objects.create(title="Vue", file=upload, uploaded_by_user=member).file


PATHS = [
    upload_avatar,
    upload_logo,
    upload_suggestion_photo,
    upload_story_photo,
    upload_post_image,
    upload_wagtail_image,
]


@pytest.mark.parametrize("upload_by", PATHS, ids=lambda path: path.__name__)
def test_an_uploaded_photo_loses_its_gps_position_and_camera(member, upload_by):
    upload = jpeg_with_gps()
    uploaded = upload.read()
    upload.seek(0)

    stored = upload_by(member, upload)

    assert_clean(stored, uploaded=uploaded)


@pytest.mark.parametrize("upload_by", PATHS, ids=lambda path: path.__name__)
def test_a_gif_js_polyglot_does_not_come_back_byte_for_byte(member, upload_by):
    data = gif_js_polyglot()

    stored = upload_by(member, SimpleUploadedFile("a.gif", data, content_type="image/gif"))

    assert_clean(stored, uploaded=data)
    assert stored.name.endswith(".png")


def test_the_profile_form_stores_the_avatar_without_metadata(auth_client, user):
    upload = jpeg_with_gps()
    uploaded = upload.read()
    upload.seek(0)

    response = auth_client.post(
        reverse("account_profile"),
        {"display_name": "Maëlle", "preferred_language": "fr", "avatar": upload},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert_clean(user.avatar, uploaded=uploaded)


def test_a_wagtail_image_keeps_its_size_and_hash_in_step_with_the_new_bytes(member):
    image = get_image_model()(title="Vue", file=jpeg_with_gps())
    image._set_image_file_metadata()  # as the admin's upload form does
    image.save()

    image.file.open("rb")
    stored = image.file.read()
    image.file.close()
    assert image.file_size == len(stored)
    assert (image.width, image.height) == (120, 80)
