"""Centers' changes to their listings and staff review of them.

- workflow.py: a center's edit from the portal: what is published at once,
  what is held for the "Listing change review" workflow (Wagtail revisions
  and workflows), withdrawing, "changes requested", and what the review's
  outcome made live (recorded as the center's provenance).
- contacts.py: the reviewer's hijack check (other organizations' listings
  with the same phones or website) and the email to the previous inquiry
  address after contact details change.
- signals.py: the receivers that tie both to Wagtail's and the model's
  signals (connected by DirectoryConfig.ready)."""
