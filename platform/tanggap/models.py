"""Imports every feature's models, so metadata (and Alembic) sees all tables."""

from __future__ import annotations


def load_all() -> None:
    from .audit import models as _audit  # noqa: F401
    from .auth import models as _auth  # noqa: F401
    from .decrees import models as _decrees  # noqa: F401
    from .tenancy import models as _tenancy  # noqa: F401
    from .units import models as _units  # noqa: F401
    from .notifications import models as _notifications  # noqa: F401
    from .complaints import models as _complaints  # noqa: F401
    from .assessments import models as _assessments  # noqa: F401
    from .letters import models as _letters  # noqa: F401
    from .sanctions import models as _sanctions  # noqa: F401
    from .alerts import models as _alerts  # noqa: F401
    from .reports import models as _reports  # noqa: F401
