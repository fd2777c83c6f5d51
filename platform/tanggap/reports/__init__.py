"""Reports: the office dashboard, the inspectorate's cross-agency view, the compliance
sheet, and exports. Complaints are meant to become corrections (clause 9 of both decrees)."""
