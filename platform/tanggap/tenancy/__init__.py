"""Regions and tenants (the offices), and how every request and query is tied to one."""
