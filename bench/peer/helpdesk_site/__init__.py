"""A minimal Django project serving a stock django-helpdesk, the peer of bench/peer/compare.py."""
