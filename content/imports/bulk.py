"""Writing a chunk of imported records at once: pages placed in the tree with computed paths,
their first revision written with them, and the search and reference indexes updated once
per chunk instead of at every save.

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

from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch import index as search_index
from modelsearch import signal_handlers as search_signals
from modelsearch.index import class_is_indexed, get_indexed_models
from wagtail.models import Page, ReferenceIndex, Revision
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
            children = [
                *(relation.get_accessor_name() for relation in get_all_child_relations(model)),
                *(field.name for field in get_all_child_m2m_relations(model)),
            ]
            for instance in model.objects.filter(pk__in=pks).prefetch_related(*children):
                ReferenceIndex.create_or_update_for_object(instance)


class PageWriter:
    """Creates new pages under their parents inside one transaction, as `add_child`, then
    `save_revision` and `publish` would, in one save per page: the path of each new child
    follows the parent's last child (read once per parent), and the parents' `numchild`,
    the `page_published` signals and the indexes are brought up to date by `finish`.

    Should be used inside a transaction, and `finish` called before it commits."""

    def __init__(self):
        self.parents: dict[int, Page] = {}
        self.last_paths: dict[int, str | None] = {}
        self.children: dict[int, int] = defaultdict(int)
        self.touched: dict[type, set[int]] = defaultdict(set)
        self.published: list[Page] = []

    @contextmanager
    def record(self):
        """One record's writes: when they fail (and its savepoint is rolled back), what the
        writer noted of them is forgotten too."""
        last_paths, children = dict(self.last_paths), dict(self.children)
        touched = {model: set(pks) for model, pks in self.touched.items()}
        published = len(self.published)
        numchild = {pk: parent.numchild for pk, parent in self.parents.items()}
        try:
            yield
        except BaseException:
            for pk, count in numchild.items():
                self.parents[pk].numchild = count
            # A parent first met by this record is read afresh by the next one.
            self.last_paths, self.children = last_paths, defaultdict(int, children)
            self.touched = defaultdict(set, touched)
            del self.published[published:]
            raise

    def touch(self, page: Page) -> None:
        """Have `finish` index `page` (changed through Wagtail's own calls meanwhile)."""
        self.touched[type(page)].add(page.pk)

    def _next_path(self, parent: Page) -> str:
        self.parents[parent.pk] = parent
        if parent.pk not in self.last_paths:
            # Read afresh at each chunk: `numchild` decides whether treebeard looks for
            # children at all (get_children, and the slug checks that use it).
            parent.numchild = Page.objects.values_list("numchild", flat=True).get(pk=parent.pk)
            self.last_paths[parent.pk] = (
                Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
        last = self.last_paths[parent.pk]
        if last is None:
            return Page._get_path(parent.path, parent.depth + 1, 1)
        return Page(path=last)._inc_path()

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
        if publish:
            # Page.save's validation, less the queries that cannot fail here: the content
            # type and locale were just set, the path follows the last child's and the
            # translation key is new (the database's constraints stand behind both).
            page.full_clean(exclude=["content_type", "locale"], validate_unique=False)
        else:
            page.minimal_clean()  # what Page.save checks of a draft
        now = timezone.now()
        page.has_unpublished_changes = not publish
        if publish:
            page.first_published_at = page.last_published_at = now
        page.save(clean=False)
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.live_revision = revision if publish else None
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            live_revision=page.live_revision,
        )
        self.last_paths[parent.pk] = page.path
        self.children[parent.pk] += 1
        parent.numchild += 1  # as add_child does, for the next slug checks
        self.touch(page)
        if publish:
            self.published.append(page)
        return page

    def finish(self) -> None:
        for parent_pk, count in self.children.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + count)
        index_objects(self.touched)
        with indexing_resumed():
            for page in self.published:
                page_published.send(
                    sender=page.specific_class, instance=page, revision=page.live_revision
                )
