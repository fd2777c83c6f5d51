"""The helpdesk's side of the set-up, run with the helpdesk's own interpreter (bench/peer/.venv):
its tables (Django's migrations), one public queue per standard component, and a staff
account for the inbox scenarios. Prints the queues' ids as JSON, for the bulk load and
the load generator. The tickets themselves are copied in by bench/peer/compare.py.

    HELPDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<db> \\
        bench/peer/.venv/bin/python bench/peer/helpdesk_site/prepare.py <staff password>
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")

import django

django.setup()  # before the models are imported

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sites.models import Site  # noqa: E402
from django.core.management import call_command  # noqa: E402
from helpdesk.models import Queue  # noqa: E402

#: Tanggap's components (decree codes) and their names: the helpdesk's queues.
COMPONENTS = {
    "requirements": "Persyaratan Pelayanan",
    "procedure": "Sistem, Mekanisme dan Prosedur",
    "time": "Jangka Waktu Pelayanan",
    "fee": "Biaya/Tarif Pelayanan",
    "product": "Produk Pelayanan",
}


def main() -> None:
    password = sys.argv[1]
    call_command("migrate", verbosity=0, interactive=False)
    Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1", "name": "Helpdesk"})
    queues = {}
    for slug, title in COMPONENTS.items():
        queue, _ = Queue.objects.get_or_create(slug=slug, defaults={"title": title, "allow_public_submission": True})
        queues[slug] = queue.id
    get_user_model().objects.create_superuser("staff", "staff@bench.invalid", password)
    print(json.dumps(queues))


if __name__ == "__main__":
    main()
