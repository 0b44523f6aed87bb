"""Opening a flow of whichever layout the zip holds."""

import posixpath

from django.utils.translation import gettext as _

from content.imports.adapters.apidae import ApidaeFlow
from content.imports.adapters.datatourisme import DatatourismeFlow
from content.imports.adapters.flows import Flow, FlowError, open_zip


def open_flow(path) -> Flow:
    """The flow in the zip at `path`, of whichever layout it has."""
    archive = open_zip(path)
    names = archive.namelist()
    index = [name for name in names if posixpath.basename(name) == "index.json"]
    if index:
        index.sort(key=lambda name: name.count("/"))
        return DatatourismeFlow(archive, index[0])
    if any(name.startswith("objets_modifies/") and name.endswith(".json") for name in names):
        return ApidaeFlow(archive)
    archive.close()
    raise FlowError(
        _(
            "This zip is not a DATAtourisme flow (no index.json) nor an Apidae export "
            "(no objets_modifies folder)."
        )
    )
