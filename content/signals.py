"""What the content hub tells the apps downstream (network turns these into notifications).
content never imports network: it sends, they listen."""

from django.dispatch import Signal

# sender=page class; page, maintainers (list of users)
review_due = Signal()
# sender=PageUpdateSuggestion; suggestion
suggestion_submitted = Signal()
# sender=PageUpdateSuggestion; suggestion (accepted or declined, with its reason)
suggestion_decided = Signal()
# sender=StoryPage; page, author
story_proposed = Signal()
# sender=BrandLicence; licence
licence_requested = Signal()
licence_decided = Signal()
