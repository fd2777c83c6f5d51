"""Sanctions for the responsible officer of an upheld complaint, decided by their superior
(*atasan pelaksana*, UU 25/2009), coaching plans followed to completion, the suggestion
ladder, and the pages that manage the office's service units and officers."""
