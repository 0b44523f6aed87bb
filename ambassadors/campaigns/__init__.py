"""Influencer and press campaigns (issue 19), a part of the ambassador programme.

- creators: profiles any member may add, a staff-only directory (services/creators.py);
- briefs and casting: invitations, applications, counter-offers, eductour seats with their
  waiting list (services/briefs.py, services/casting.py);
- deliverables reviewed in the one moderation queue, with the French mention rule checked
  on submission and on approval (services/deliverables.py, rules.py);
- the value ledger and the written contract above the threshold (services/ledger.py);
- reports with server-side SVG charts, CSV and a private partner link (reports.py).

Rules that follow the law (mentions, threshold, contract template) are the Wagtail setting
`ComplianceRules`. Each brief's chat room with each creator is the realtime app's: asked for
through `network.signals.conversation_wanted` (this app never imports realtime)."""
