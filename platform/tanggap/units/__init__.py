"""Service units (*unit layanan*) and the officers (*pelaksana*) who serve in them.

Complaints name the unit they concern and, at assessment, the responsible officer; the
sanctions feature builds each officer's record on top of these rows.
"""
