"""Logging in and out, rate limits, sessions that really end, CSRF and password resets."""

from __future__ import annotations

import re

from tanggap.extensions import mail


def test_member_logs_in_and_lands_on_their_office(make, visitor):
    office = make.office_with_staff("dinas-alpha")
    response = visitor.login(office.leader.email)
    assert response.headers["Location"] == "/dinas-alpha/staff/"
    page = visitor.get("/dinas-alpha/staff/").get_data(as_text=True)
    assert office.leader.name in page


def test_wrong_password_and_unknown_email_get_the_same_answer(make, visitor):
    make.office_with_staff("dinas-alpha")
    wrong = visitor.submit("/auth/login", {"email": "leader@dinas-alpha.example", "password": "nope"},
                           headers={"Accept-Language": "en"})
    unknown = visitor.submit("/auth/login", {"email": "nobody@example.example", "password": "nope"},
                             headers={"Accept-Language": "en"})
    assert wrong.status_code == unknown.status_code == 422
    message = "The e-mail or password is not right."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_form_keeps_the_email_typed(visitor):
    html = visitor.submit("/auth/login", {"email": "someone@example.example", "password": ""}).get_data(as_text=True)
    assert 'value="someone@example.example"' in html


def test_five_failures_from_other_addresses_do_not_lock_the_owner_out(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for attempt in range(5):
        attacker = new_visitor()
        response = attacker.submit("/auth/login", {"email": office.admin.email, "password": f"guess{attempt}"},
                                   environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"})
        assert response.status_code == 422
    owner = new_visitor()
    assert owner.submit("/auth/login", {"email": office.admin.email, "password": make.PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.1.1"}).status_code == 302


def test_a_locked_unknown_address_looks_like_a_locked_real_one(new_visitor):
    for _ in range(5):
        new_visitor().submit("/auth/login", {"email": "ghost@example.example", "password": "x"})
    assert new_visitor().submit("/auth/login", {"email": "ghost@example.example", "password": "x"}).status_code == 429


def test_successful_logins_do_not_count_towards_the_lock(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for _ in range(7):
        new_visitor().login(office.officer.email)


def test_post_without_csrf_token_is_rejected(make, visitor):
    office = make.office_with_staff("dinas-alpha")
    response = visitor.client.post("/auth/login", data={"email": office.admin.email, "password": make.PASSWORD})
    assert response.status_code == 400


def test_logout_ends_every_copy_of_the_session(make, app, visitor):
    office = make.office_with_staff("dinas-alpha")
    visitor.login(office.officer.email)
    stolen_cookie = visitor.client.get_cookie("session").value
    assert visitor.get("/dinas-alpha/staff/").status_code == 200
    visitor.submit("/auth/logout", page="/dinas-alpha/staff/")
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    response = replay.get("/dinas-alpha/staff/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_deactivated_user_is_logged_out_at_the_next_request(make, ctx, visitor):
    from tanggap.auth.models import User
    from tanggap.extensions import db

    office = make.office_with_staff("dinas-alpha")
    visitor.login(office.officer.email)
    with ctx():
        db.session.get(User, office.officer.id).active = False
        db.session.commit()
    assert visitor.get("/dinas-alpha/staff/").status_code == 302


def test_login_does_not_redirect_off_site(make, visitor):
    office = make.office_with_staff("dinas-alpha")
    response = visitor.submit("/auth/login?next=https://evil.example/", {"email": office.admin.email,
                              "password": make.PASSWORD}, page="/auth/login")
    assert response.headers["Location"] == "/dinas-alpha/staff/"


def test_password_change_needs_the_current_password_and_ends_other_sessions(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    laptop, phone = new_visitor(), new_visitor()
    laptop.login(office.leader.email)
    phone.login(office.leader.email)
    wrong = laptop.submit("/auth/password", {"current_password": "nope", "new_password": "a new long secret",
                                             "confirm": "a new long secret"})
    assert wrong.status_code == 422
    ok = laptop.submit("/auth/password", {"current_password": make.PASSWORD, "new_password": "a new long secret",
                                          "confirm": "a new long secret"})
    assert ok.status_code == 302
    assert laptop.get("/dinas-alpha/staff/").status_code == 200
    assert phone.get("/dinas-alpha/staff/").status_code == 302
    new_visitor().login(office.leader.email, "a new long secret")


def test_password_reset_by_mailed_link_works_once(make, app, visitor, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    with mail.record_messages() as outbox:
        # buffered: the server has sent the whole answer, after which the mail is written
        response = visitor.submit("/auth/reset", {"email": office.admin.email}, buffered=True)
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0].recipients == [office.admin.email]
    link = re.search(re.escape(app.config["PUBLIC_URL"]) + r"(/auth/reset/\S+)", outbox[0].body).group(1)
    set_new = visitor.submit(link, {"new_password": "brand new secret", "confirm": "brand new secret"})
    assert set_new.status_code == 302
    new_visitor().login(office.admin.email, "brand new secret")
    again = visitor.get(link)
    assert again.status_code == 302 and again.headers["Location"].endswith("/auth/reset")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(visitor):
    with mail.record_messages() as outbox:
        response = visitor.submit("/auth/reset", {"email": "nobody@example.example"}, follow_redirects=True,
                                  headers={"Accept-Language": "en"})
    assert outbox == []
    assert "If an account uses this address" in response.get_data(as_text=True)


def test_expired_reset_link_is_refused(make, app, visitor):
    from tanggap.auth.passwords import reset_token
    from tanggap.auth.models import User
    from tanggap.extensions import db

    office = make.office_with_staff("dinas-alpha")
    with app.test_request_context():
        token = reset_token(db.session.get(User, office.admin.id))
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = visitor.get(f"/auth/reset/{token}")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.status_code == 302


def test_a_person_with_two_offices_chooses_between_them(make, visitor):
    from tanggap.auth.models import Membership, Role
    from tanggap.extensions import db

    alpha = make.office_with_staff("dinas-alpha")
    beta = make.tenant("dinas-beta", region="kota-beta")
    with make.ctx():
        db.session.add(Membership(user_id=alpha.leader.id, tenant_id=beta.id, role=Role.ADMIN))
        db.session.commit()
    response = visitor.login(alpha.leader.email)
    assert response.headers["Location"] == "/auth/offices"
    html = visitor.get("/auth/offices").get_data(as_text=True)
    assert "/dinas-alpha/staff/" in html and "/dinas-beta/staff/" in html
    assert visitor.get("/dinas-beta/staff/").status_code == 200


def test_logging_in_upgrades_a_hash_made_with_weaker_parameters(app, make, visitor, ctx):
    from argon2 import PasswordHasher

    from tanggap.auth.models import User
    from tanggap.extensions import db

    office = make.office_with_staff("dinas-alpha")
    weak = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    with ctx():
        user = db.session.get(User, office.leader.id)
        user.password_hash = weak.hash(make.PASSWORD)
        version = user.session_version
        db.session.commit()
    assert visitor.login(office.leader.email).status_code == 302
    current = PasswordHasher(**app.config["ARGON2_PARAMETERS"])
    with ctx():
        user = db.session.get(User, office.leader.id)
        assert not current.check_needs_rehash(user.password_hash)
        assert current.verify(user.password_hash, make.PASSWORD)
        assert user.session_version == version  # the same password: other sessions go on
