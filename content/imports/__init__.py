"""Open tourism data into the content hub: DATAtourisme flows and Apidae JSON exports become
destination and event pages, refreshed daily, without losing what the agency edited.

adapters.py reads a flow (zip) record by record; fetch.py downloads flows and photos without
ever reaching a private address; services.py creates and updates the pages; models.py keeps
the sources, runs, records, conflicts and photos."""
