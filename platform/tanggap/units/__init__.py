"""Service units (*unit layanan*) and the officers (*pelaksana*) who serve in them.

Complaints name the unit they concern and, at assessment, the responsible officer; the
sanctions feature builds each officer's record on top of these rows. So this feature sits
below complaints and holds only the rows: its pages, which show each unit's complaints and
sanctions, are ``sanctions/unit_views.py`` (blueprint ``units``, templates ``units/``).
"""
