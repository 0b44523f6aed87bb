"""Reading a flow: a zip opened once, its index read first, each record opened only when the
import asks for it. Nothing is extracted to disk and no record is held longer than its own
import, so memory does not grow with the flow.

Two layouts are understood:

- DATAtourisme: `index.json` (a list of {label, lastUpdateDatatourisme, file}) beside
  `objects/<a>/<ab>/<producer>-<uuid>.json`, each a JSON-LD object (`context.jsonld` holds the
  context). A record's identity is `<producer>/<uuid>`, whichever host its `@id` names
  (data.datatourisme.gouv.fr in older flows, data.datatourisme.fr today).
- Apidae JSON export: `objets_modifies/*.json` (lists of objects) and `objets_supprimes.json`;
  the identity is the object id and `gestion.dateModification` its update time.

One module per layout, every name importable from `content.imports.adapters`: `flows`
(the zip, its limits, records and the `Flow` base), `datatourisme`, `apidae`, and `opening`
(`open_flow`, which tells them apart).
"""

from content.imports.adapters.apidae import (  # noqa: F401
    APIDAE_EVENT_TYPES,
    ApidaeFlow,
    apidae_record,
)
from content.imports.adapters.datatourisme import (  # noqa: F401
    DatatourismeFlow,
    any_text,
    as_list,
    coordinate,
    datatourisme_record,
    first,
    identity_from_uri,
    opening_hours,
    parse_day,
    parse_time,
    period_dates,
    text,
)
from content.imports.adapters.flows import (  # noqa: F401
    DAY_NAMES,
    IDENTITY_PATTERN,
    PARIS,
    Entry,
    Flow,
    FlowError,
    MiB,
    Record,
    RecordError,
    is_safe_member,
    limits,
    open_zip,
    parse_json,
    read_member,
)
from content.imports.adapters.opening import (  # noqa: F401
    open_flow,
)
