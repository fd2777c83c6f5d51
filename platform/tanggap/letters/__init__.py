"""The office's letters (*surat*) on its letterhead, as PDF: the apology, the clarification and
the citizen's receipt of compensation, numbered in the office's own pattern and kept with
the delivery as its evidence."""
