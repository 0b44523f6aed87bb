"""Tracked links: /r/<code>, one module for ambassadors and campaigns.

- `make_link(owner=, page=, source=, reference=)` gives the owner's link to a public page of
  the site, with UTM parameters; the target is a path of this site, so /r/ never sends a
  visitor to another host.
- `/r/<code>` (links.views.follow) redirects and counts the click without cookie or stored
  fingerprint: the visitor is a SHA-256 of (salt of the day, address, user agent); the salt is
  random, kept in the cache for two days and never stored; bots are told by their user agent;
  one count per visitor and link per LINK_CLICK_WINDOW seconds.
- Counting never writes to the database on the hot path when Redis is there: one Lua call
  sets the visitor's "seen" key (NX, with the window as TTL) and increments the link's counter
  of the day in a hash. `flush_clicks()` (beat, every minute) renames the hash (an atomic
  read-and-reset), adds the counts to LinkClickDay and records the batch's name in the same
  transaction, then deletes the renamed hash: a flush that died after its commit is not
  counted twice, one that died before it is picked up by the next flush. Without Redis (or
  when Redis fails) the click is written to the database at once."""
