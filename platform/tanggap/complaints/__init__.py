"""Citizens' complaints: the office's public pages, intake, tracking, and the staff inbox."""
