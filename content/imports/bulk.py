"""Writing a chunk of imported records at once: pages placed in the tree with computed paths
and slugs, their first revisions and `wagtail.create` log entries written in one insert per
chunk, and the search and reference indexes updated once per chunk instead of at every save.

Wagtail updates both indexes from `post_save`: a page created, given a revision and published
is indexed three times, and the SQLite search backend recomputes the average title length
over the whole index each time. During an import run (`deferred_indexing`) this thread's saves
skip both updates; each chunk then indexes the pages it touched (`PageWriter.finish`), inside
the chunk's transaction, so that a committed chunk is always indexed and a rolled-back one
leaves nothing behind.
"""

import logging
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signals
from modelsearch.index import class_is_indexed, get_indexed_models
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends_with_name
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
)
from wagtail.signals import page_published

logger = logging.getLogger(__name__)

_deferred = threading.local()
_install_lock = threading.Lock()
_installed = False


def _search_on_save(instance, **kwargs):
    """The search backend's own `post_save` receiver, unless this thread defers indexing."""
    if getattr(_deferred, "active", False):
        return
    search_signals.post_save_signal_handler(instance, **kwargs)


def _install_search_switch() -> None:
    """Put `_search_on_save` in place of the search backend's receiver, once per process.
    The new receiver is connected before the old one leaves, so that no save of another
    thread goes unindexed meanwhile (at worst it is indexed twice)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        for model in get_indexed_models():
            if not getattr(model, "search_auto_update", True):
                continue
            post_save.connect(
                _search_on_save, sender=model, dispatch_uid=f"imports-deferred-search-{model}"
            )
            post_save.disconnect(search_signals.post_save_signal_handler, sender=model)
        _installed = True


@contextmanager
def deferred_indexing():
    """Within this block, this thread's saves update neither the search index nor the
    reference index: whoever saves must call `index_objects` before committing."""
    _install_search_switch()
    previous = getattr(_deferred, "active", False)
    _deferred.active = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _deferred.active = previous


@contextmanager
def indexing_resumed():
    """Saves update both indexes again within this block (for the receivers of the signals
    a chunk sends, whose own saves the chunk does not index)."""
    search = getattr(_deferred, "active", False)
    references = getattr(reference_index_auto_update_disabled, "value", False)
    _deferred.active = False
    reference_index_auto_update_disabled.value = False
    try:
        yield
    finally:
        _deferred.active = search
        reference_index_auto_update_disabled.value = references


def index_objects(pks_by_model: dict) -> None:
    """Bring the search index and the reference index up to date for these objects, as the
    `post_save` receivers would have, with one search-index write per model. Should be called
    inside the transaction that changed them."""
    backends = list(get_search_backends_with_name(with_auto_update=True))
    for model, pks in pks_by_model.items():
        if not pks:
            continue
        if class_is_indexed(model) and getattr(model, "search_auto_update", True):
            related = [
                field.field_name
                for field in model.get_search_fields()
                if isinstance(field, search_index.RelatedFields)
            ]
            objects = list(
                model.get_indexed_objects().filter(pk__in=pks).prefetch_related(*related)
            )
            for name, backend in backends:
                try:
                    backend.add_bulk(model, objects)
                except Exception:
                    logger.exception("Could not index %s objects in %r", model.__name__, name)
                    if not backend.catch_indexing_errors:
                        raise
        if ReferenceIndex.is_indexed(model):
            # The references are read from every child relation: one query each per chunk.
            children = child_relation_names(model)
            for instance in model.objects.filter(pk__in=pks).prefetch_related(*children):
                ReferenceIndex.create_or_update_for_object(instance)


class PageWriter:
    """Creates new pages under their parents inside one transaction, as `add_child`, then
    `save_revision` and `publish` would, in one save per page: the path of each new child
    follows the parent's last child and its slug is checked against its siblings' slugs
    (both read once per parent and chunk); the parents' `numchild`, the pages' `wagtail.create`
    log entries, their first revisions (`settle`), the `page_published` signals and the
    indexes are written by `finish`.

    Should be used inside a transaction, and `finish` called before it commits."""

    def __init__(self):
        self.parents: dict[int, Page] = {}
        self.last_paths: dict[int, str | None] = {}
        self.slugs: dict[int, set[str]] = {}
        self.taken: list[tuple[int, str]] = []
        self.children: dict[int, int] = defaultdict(int)
        self.touched: dict[type, set[int]] = defaultdict(set)
        self.published: list[Page] = []
        self.log_entries: list[PageLogEntry] = []
        self.revisions: list[tuple[Page, Revision]] = []

    @contextmanager
    def record(self):
        """One record's writes: when they fail (and its savepoint is rolled back), what the
        writer noted of them is forgotten too."""
        last_paths, children = dict(self.last_paths), dict(self.children)
        slugs, taken = dict(self.slugs), len(self.taken)
        touched = {model: set(pks) for model, pks in self.touched.items()}
        published, logged, revised = len(self.published), len(self.log_entries), len(self.revisions)
        numchild = {pk: parent.numchild for pk, parent in self.parents.items()}
        try:
            yield
        except BaseException:
            for pk, count in numchild.items():
                self.parents[pk].numchild = count
            # A parent first met by this record is read afresh by the next one; the slugs
            # this record took are free again.
            self.last_paths, self.children = last_paths, defaultdict(int, children)
            self.slugs = slugs
            for parent_pk, slug in self.taken[taken:]:
                self.slugs.get(parent_pk, set()).discard(slug)
            del self.taken[taken:]
            self.touched = defaultdict(set, touched)
            del self.published[published:]
            del self.log_entries[logged:]
            del self.revisions[revised:]
            raise

    def touch(self, page: Page) -> None:
        """Have `finish` index `page` (changed through Wagtail's own calls meanwhile)."""
        self.touched[type(page)].add(page.pk)

    def _meet(self, parent: Page) -> None:
        """Read what the chunk needs of a parent the first time it meets it."""
        self.parents[parent.pk] = parent
        if parent.pk in self.last_paths:
            return
        # `numchild` decides whether treebeard looks for children at all (get_children).
        parent.numchild = Page.objects.values_list("numchild", flat=True).get(pk=parent.pk)
        children = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        self.last_paths[parent.pk] = (
            children.order_by("-path").values_list("path", flat=True).first()
        )
        self.slugs[parent.pk] = set(children.values_list("slug", flat=True))

    def _next_path(self, parent: Page) -> str:
        self._meet(parent)
        last = self.last_paths[parent.pk]
        if last is None:
            return Page._get_path(parent.path, parent.depth + 1, 1)
        return Page(path=last)._inc_path()

    def free_slug(self, parent: Page, title: str, *, suffix: str) -> str:
        """The title's slug if no child of `parent` has it yet, else with `suffix` added."""
        self._meet(parent)
        base = slugify(title)[:80] or "fiche"
        return base if base not in self.slugs[parent.pk] else f"{base}-{slugify(suffix)[:8]}"

    def create(self, page: Page, parent: Page, *, publish: bool) -> Page:
        """Save `page` as a new child of `parent` with a first revision, published or kept
        as a draft. Validates the page as Page.save does (raises ValidationError)."""
        page.path = self._next_path(parent)
        page.depth = parent.depth + 1
        page.numchild = 0
        page._cached_parent_obj = parent
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = publish
        siblings = self.slugs[parent.pk]
        # Wagtail's check that no sibling has the slug, answered from the siblings' slugs
        # read with the parent instead of one query per page.
        page._slug_is_available = lambda slug, parent_page, page=None: slug not in siblings
        try:
            if publish:
                # Page.save's validation, less the queries that cannot fail here: the content
                # type and locale were just set, the path follows the last child's and the
                # translation key is new (the database's constraints stand behind both).
                page.full_clean(exclude=["content_type", "locale"], validate_unique=False)
            else:
                page.minimal_clean()  # what Page.save checks of a draft
        finally:
            del page._slug_is_available
        now = timezone.now()
        page.has_unpublished_changes = not publish
        if publish:
            page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        page._is_site_root = False  # a new translation key cannot be a site's root page
        # Relations the page holds nothing in are empty in the database once it is saved:
        # its revision reads them from memory instead of one query each.
        empty = [name for name in child_relation_names(page) if not is_deferring(page, name)]
        page.save(clean=False, log_action=None)  # its log entry is written by `finish`
        in_memory = vars(page).setdefault("_cluster_related_objects", {})
        in_memory.update(dict.fromkeys(empty, []))
        try:
            content = page.serializable_data()
        finally:
            for name in empty:
                del in_memory[name]
        revision = Revision(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            content=content,
            object_str=str(page),
            created_at=now,
        )
        self.revisions.append((page, revision))  # written by `settle`
        self.log_entries.append(creation_log_entry(page, now))
        self.last_paths[parent.pk] = page.path
        siblings.add(page.slug)
        self.taken.append((parent.pk, page.slug))
        self.children[parent.pk] += 1
        parent.numchild += 1  # as add_child does
        self.touch(page)
        if publish:
            self.published.append(page)
        return page

    def settle(self) -> None:
        """Write the first revisions of the pages created so far and point the pages at them:
        two queries for them all. Should be called outside any record's savepoint, before
        anything reads these pages' revisions."""
        if not self.revisions:
            return
        Revision.objects.bulk_create([revision for _page, revision in self.revisions])
        for page, revision in self.revisions:
            page.latest_revision = revision
            page.live_revision = revision if page.live else None
        pages = [page for page, _revision in self.revisions]
        Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
        self.revisions = []

    def finish(self) -> None:
        self.settle()
        for parent_pk, count in self.children.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + count)
        PageLogEntry.objects.bulk_create(self.log_entries)
        index_objects(self.touched)
        with indexing_resumed():
            for page in self.published:
                page_published.send(
                    sender=page.specific_class, instance=page, revision=page.live_revision
                )


def child_relation_names(model) -> list[str]:
    """The child relations and many-to-many fields of a model (a revision holds them)."""
    return [
        *(relation.get_accessor_name() for relation in get_all_child_relations(model)),
        *(field.name for field in get_all_child_m2m_relations(model)),
    ]


def is_deferring(page, name: str) -> bool:
    """Whether the page holds objects of this relation in memory, not yet saved."""
    return name in getattr(page, "_cluster_related_objects", {})


def creation_log_entry(page: Page, timestamp) -> PageLogEntry:
    """The `wagtail.create` entry Page.save would have logged (BaseLogEntryManager.log_action),
    for a bulk insert: its validation's queries (the action exists, the page and content type
    too) cannot fail for a page just saved."""
    context = get_active_log_context()
    return PageLogEntry(
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=page.get_admin_display_title(),
        action="wagtail.create",
        timestamp=timestamp,
        data={},
        page=page,
        user=page.owner or context.user,
        uuid=context.uuid,
        content_changed=True,
    )
