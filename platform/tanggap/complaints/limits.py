"""How often the public may knock: the citizen's pages and the APIs that file or look up a complaint
share these limits, so no way in is looser than another."""

#: Filing is open to anyone, so it is limited per address: enough for a family sharing one
#: connection, too few for a script.
SUBMIT_LIMIT = "5 per minute;30 per hour"
#: Tracking codes are unguessable; the limit keeps anyone from trying many.
LOOKUP_LIMIT = "30 per minute"
