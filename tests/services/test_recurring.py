"""R-REC-1, R-REC-3, R-REC-4, R-RCA-3: recurring issues found, ranked, worked and reviewed.

Every test runs on SQLite and, with ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from escdesk.domain.errors import Conflict, InvalidInput, RuleRefused
from escdesk.domain.recurring_issue import IssueStatus
from escdesk.domain.review import Section
from escdesk.services import clustering, recurring, tickets
from escdesk.services import recurring_changes as change
from escdesk.services.listing import Order
from escdesk.services.review import weekly_issues_review
from escdesk.services.ticket_judgements import JudgePair, judge_pair, labelled_pairs
from escdesk.similarity import grouping
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import act
from tests.ticket_factories import T0, jsonl, labelled_records, record


@pytest.fixture
def index(tmp_path: Path) -> IndexCache:
    return IndexCache(tmp_path / "index")


@pytest.fixture
def desk(uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime) -> IndexCache:
    """The labelled helpdesk imported and clustered."""
    path = jsonl(tmp_path / "labelled.jsonl", labelled_records())
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)
    return index


def issue_of(uow: SqlUnitOfWork, ticket: str) -> int:
    found = tickets.show_ticket(uow, ticket).issue
    assert found is not None, f"{ticket} is in no issue"
    return found.id


def add(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime, *records: dict
) -> None:
    path = jsonl(tmp_path / f"more-{records[0]['id']}.jsonl", list(records))
    tickets.import_file(uow, index, path, format="jsonl", now=now)


def test_r_rec_1_tickets_of_one_cause_become_a_labelled_candidate_issue(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ranked = recurring.list_issues(uow, now=now)
    labels = {r.issue.label for r in ranked}

    assert len(ranked) == 5
    assert all(r.issue.status is IssueStatus.CANDIDATE for r in ranked)
    assert any("LDAP" in label for label in labels)
    assert any("VAT" in label for label in labels)
    assert issue_of(uow, "L-1") == issue_of(uow, "L-5") == issue_of(uow, "L-13")
    assert tickets.show_ticket(uow, "L-3").issue is None  # a one-off question


def test_new_tickets_join_the_existing_issue_of_their_cause(
    uow: SqlUnitOfWork, desk: IndexCache, tmp_path: Path, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    later = T0 + timedelta(days=40)
    add(uow, desk, tmp_path, now, record("N-1", "LDAP sync timeout for big groups", later))

    report = clustering.update_issues(uow, desk, now=now)

    assert (report.clustered, report.joined_issues, report.new_issues) == (1, 1, 0)
    assert issue_of(uow, "N-1") == ldap
    assert clustering.update_issues(uow, desk, now=now).clustered == 0  # nothing left to do


def test_a_name_a_person_gave_is_never_replaced_by_clustering(
    uow: SqlUnitOfWork, desk: IndexCache, tmp_path: Path, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    act(uow, change.RenameIssue(ldap, "Directory sync dies on big groups"), now=now)
    add(uow, desk, tmp_path, now, record("N-2", "LDAP sync timeout", T0 + timedelta(days=41)))

    clustering.update_issues(uow, desk, now=now, full=True)

    assert issue_of(uow, "N-2") == ldap
    assert recurring.show_issue(uow, ldap, now=now).ranked.issue.label == (
        "Directory sync dies on big groups"
    )


def test_a_full_rebuild_keeps_confirmed_issues_and_regroups_the_rest(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    vat, ldap = issue_of(uow, "L-2"), issue_of(uow, "L-1")
    act(uow, change.ConfirmIssue(vat), now=now)

    report = clustering.update_issues(uow, desk, now=now, full=True)

    assert issue_of(uow, "L-2") == vat  # kept, with its tickets
    assert issue_of(uow, "L-1") != ldap  # an untouched candidate was found again, anew
    assert report.new_issues == 4


def test_issues_are_ranked_with_the_accounts_and_arr_they_affect(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    factories.add_account(uow, now=now, name="Globex", arr=900_000)
    ranked = {r.issue.id: r for r in recurring.list_issues(uow, now=now)}

    ldap = ranked[issue_of(uow, "L-1")]
    vat = ranked[issue_of(uow, "L-2")]

    assert (ldap.figures.accounts, ldap.figures.arr) == (1, 900_000)
    assert (vat.figures.accounts, vat.figures.arr) == (1, 0)  # Initech is no escdesk account
    assert ldap.figures.first_seen == T0
    assert ldap.rank.revenue > vat.rank.revenue
    assert list(ranked) == sorted(ranked, key=lambda i: -ranked[i].rank.score)


def test_r_rca_3_prevention_counts_the_tickets_of_the_cause_after_its_fix(
    uow: SqlUnitOfWork, desk: IndexCache, tmp_path: Path, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    with pytest.raises(RuleRefused) as refused:
        recurring.issue_prevention(uow, ldap, now=now)
    assert refused.value.rule_id == "R-RCA-3"

    fixed_at = T0 + timedelta(days=15)  # LDAP tickets arrived on days 0, 4, 12, 19 and 25
    act(uow, change.RecordFix(ldap, "MR !881", "16.4.1", fixed_at), now=now)
    _, figure = recurring.issue_prevention(uow, ldap, now=now)
    assert (figure.after_fix, figure.stopped) == (2, False)

    add(
        uow,
        desk,
        tmp_path,
        now,
        record("N-3", "LDAP sync times out again", now - timedelta(days=1)),
    )
    clustering.update_issues(uow, desk, now=now)
    _, figure = recurring.issue_prevention(uow, ldap, now=now)
    assert figure.after_fix == 3  # tracked until tickets of the cause stop arriving


def test_r_rec_3_an_issue_is_linked_to_an_escalation_and_shows_it(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None

    act(uow, change.LinkEscalation(ldap, esc.id), now=now)

    detail = recurring.show_issue(uow, ldap, now=now)
    assert [e.id for e in detail.escalations] == [esc.id]
    with pytest.raises(InvalidInput, match="already linked"):
        act(uow, change.LinkEscalation(ldap, esc.id), now=now)
    with pytest.raises(InvalidInput, match="does not exist"):
        act(uow, change.LinkEscalation(ldap, 99_999), now=now)


def test_merging_moves_the_tickets_and_links_into_the_issue_kept(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap, vat = issue_of(uow, "L-1"), issue_of(uow, "L-2")
    before = recurring.show_issue(uow, vat, now=now).ranked.figures.tickets

    kept = act(uow, change.MergeIssues(ldap, vat), now=now)

    assert kept.id == vat and issue_of(uow, "L-1") == vat
    assert recurring.show_issue(uow, vat, now=now).ranked.figures.tickets == before + 5
    assert ldap not in {r.issue.id for r in recurring.list_issues(uow, now=now)}


def test_splitting_moves_tickets_of_another_cause_into_a_new_confirmed_issue(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    part = act(uow, change.SplitIssue(ldap, ("L-20", "L-26"), "Group size limit"), now=now)

    assert part.status is IssueStatus.CONFIRMED and part.named
    assert issue_of(uow, "L-20") == issue_of(uow, "L-26") == part.id
    assert issue_of(uow, "L-1") == ldap
    with pytest.raises(InvalidInput) as error:
        act(uow, change.SplitIssue(ldap, ("L-2",), "x"), now=now)
    assert error.value.field == "TICKET"


def test_a_change_made_on_a_stale_version_is_a_conflict(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap = issue_of(uow, "L-1")
    seen = recurring.show_issue(uow, ldap, now=now).ranked.issue.version
    act(uow, change.RenameIssue(ldap, "LDAP sync", seen), now=now)

    with pytest.raises(Conflict):
        act(uow, change.ConfirmIssue(ldap, seen), now=now)


def test_r_rec_4_the_weekly_review_never_runs_past_60_minutes(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    """Plenty of everything: more chronic issues, customers and late escalations than fit."""
    start = now - timedelta(days=31)
    tickets.import_file(
        uow, index, jsonl(tmp_path / "l.jsonl", labelled_records(start)), format="jsonl", now=now
    )
    clustering.update_issues(uow, index, now=now)
    for n in range(8):
        account = factories.add_account(uow, now=start, name=f"Late Customer {n}").name
        factories.open_escalation(uow, now=start, account=account, eta=start + timedelta(days=3))

    review = weekly_issues_review(uow, now=now)
    agenda = review.agenda

    assert agenda.total_minutes <= 60
    sections = {item.section for item in agenda.items}
    assert sections == set(Section)
    late = [i for i in agenda.items if i.section is Section.ESCALATIONS_AT_RISK]
    assert late and all("ETA missed" in i.detail for i in late)
    assert agenda.carried_over  # what did not fit waits for next week, it is not squeezed in
    ends = [i.starts_at_minute + i.minutes for i in agenda.items]
    assert max(ends) <= 60


def test_r_rec_4_the_review_follows_the_ranking_and_says_why_an_issue_is_left_out(
    uow: SqlUnitOfWork, index: IndexCache, tmp_path: Path, now: datetime
) -> None:
    """Issues quiet for months are ranked but not discussed; the agenda names each and why."""
    old = labelled_records(now - timedelta(days=200))
    recent = [
        record(f"P-{n}", f"Label printer jams on page {n + 2}", now - timedelta(days=10 - n))
        for n in range(4)
    ]
    path = jsonl(tmp_path / "all.jsonl", old + recent)
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)

    ranked = [r.issue for r in recurring.list_issues(uow, now=now)]
    agenda = weekly_issues_review(uow, now=now).agenda

    chronic = [i for i in agenda.items if i.section is Section.CHRONIC_ISSUES]
    assert len(chronic) == 1 and "printer" in chronic[0].title
    place = 1 + [f"issue-{r.id}" for r in ranked].index(chronic[0].ref)
    assert chronic[0].detail.startswith(f"ranked #{place}: 4 tickets in 8 weeks")
    discussed = {i.ref for i in chronic} | {t.ref for _, t in agenda.carried_over}
    left = {t.ref: t.detail for t in agenda.left_out}
    assert {f"issue-{r.id}" for r in ranked} == discussed | set(left)  # none missing in silence
    assert all("none in the last 8 weeks" in why and "ranked #" in why for why in left.values())


def test_the_issue_list_pages_in_rank_order_and_sorts_by_any_figure(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    every = recurring.list_issues(uow, now=now)
    first = recurring.issues_page(uow, now=now, order=None, limit=2, offset=0)
    rest = recurring.issues_page(uow, now=now, order=None, limit=2, offset=2)
    assert first.total == len(every) == 5
    assert [r.issue.id for r in first.items + rest.items] == [r.issue.id for r in every][:4]

    by_tickets = recurring.issues_page(
        uow, now=now, order=Order("tickets", descending=True), limit=50, offset=0
    )
    counts = [r.figures.tickets for r in by_tickets.items]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(InvalidInput):
        recurring.issues_page(uow, now=now, order=Order("secret"), limit=50, offset=0)


def test_a_split_holds_through_new_tickets_and_a_full_rebuild(
    uow: SqlUnitOfWork, desk: IndexCache, tmp_path: Path, now: datetime
) -> None:
    """The split-off part takes no ticket back into the issue it left, and nothing re-glues them."""
    ldap = issue_of(uow, "L-1")
    part = act(uow, change.SplitIssue(ldap, ("L-20", "L-26"), "Group size limit"), now=now)
    later = T0 + timedelta(days=42)
    add(uow, desk, tmp_path, now, record("N-4", "LDAP sync timeout on large groups", later))

    assert clustering.update_issues(uow, desk, now=now).clustered == 1  # only the new ticket
    clustering.update_issues(uow, desk, now=now, full=True)

    assert issue_of(uow, "L-20") == issue_of(uow, "L-26") == part.id
    assert issue_of(uow, "L-1") == issue_of(uow, "L-5") == ldap
    assert issue_of(uow, "N-4") in (ldap, part.id)


def test_a_merge_holds_through_a_full_rebuild(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap, vat = issue_of(uow, "L-1"), issue_of(uow, "L-2")
    act(uow, change.MergeIssues(ldap, vat), now=now)

    clustering.update_issues(uow, desk, now=now, full=True)

    assert issue_of(uow, "L-1") == issue_of(uow, "L-13") == issue_of(uow, "L-2") == vat


def test_a_new_ticket_joins_a_confirmed_issue_through_any_of_its_tickets(
    uow: SqlUnitOfWork, desk: IndexCache, tmp_path: Path, now: datetime
) -> None:
    """Worded like one later LDAP ticket ("members are not updated"), not like the first."""
    ldap = issue_of(uow, "L-1")
    act(uow, change.ConfirmIssue(ldap), now=now)
    later = T0 + timedelta(days=43)
    text = "The LDAP sync for large groups hits the timeout; members are not updated"
    add(
        uow,
        desk,
        tmp_path,
        now,
        record("N-5", "LDAP sync timeout on large groups", later, body=text),
    )

    clustering.update_issues(uow, desk, now=now, full=True)

    assert issue_of(uow, "N-5") == ldap


def test_the_grouping_setting_chooses_the_re_ranked_pass_and_cosine_is_the_default(
    uow: SqlUnitOfWork,
    desk: IndexCache,
    tmp_path: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    passes: list[str] = []
    real = grouping.link_in_time_order

    def linking(*args: object, **kwargs: object) -> object:
        passes.append("reranked")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(grouping, "link_in_time_order", linking)
    clustering.update_issues(uow, desk, now=now, full=True)
    assert passes == []  # `desk` is built as open_index builds it by default
    reranked = IndexCache(tmp_path / "index", grouping="reranked")
    clustering.update_issues(uow, reranked, now=now, full=True)
    assert passes == ["reranked"]
    assert issue_of(uow, "L-1") == issue_of(uow, "L-5")  # the LDAP cause holds either way


def verdicts(uow: SqlUnitOfWork) -> set[tuple[frozenset[str], bool]]:
    """Every labelled pair the ranker would learn from, by helpdesk ids."""
    return {
        (frozenset({p.ticket.split(":")[-1], p.other.split(":")[-1]}), p.duplicate)
        for p in labelled_pairs(uow)
    }


def newest(uow: SqlUnitOfWork, issue_id: int) -> str:
    with uow:
        [ticket_id] = uow.recurring.ticket_ids_of(issue_id, 1)
        return uow.tickets.by_ids({ticket_id})[ticket_id].ticket.external_id


def test_merges_splits_and_same_issue_become_labelled_pairs_for_the_ranker(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    """R-REC-2: every grouping decision a person makes is training data, like a verdict."""
    ldap, vat = issue_of(uow, "L-1"), issue_of(uow, "L-2")
    assert verdicts(uow) == set()
    pair = frozenset({newest(uow, ldap), newest(uow, vat)})
    act(uow, change.MergeIssues(ldap, vat), now=now)
    assert verdicts(uow) == {(pair, True)}

    part = act(uow, change.SplitIssue(vat, ("L-20",), "Group size limit"), now=now)
    left = newest(uow, vat)
    assert (frozenset({"L-20", left}), False) in verdicts(uow)

    act(uow, change.AddTicket(part.id, "L-26"), now=now)
    assert (frozenset({"L-26", "L-20"}), True) in verdicts(uow)


def test_a_verdict_a_person_gave_on_a_pair_stands_over_a_merge(
    uow: SqlUnitOfWork, desk: IndexCache, now: datetime
) -> None:
    ldap, vat = issue_of(uow, "L-1"), issue_of(uow, "L-2")
    first, second = newest(uow, ldap), newest(uow, vat)
    act(uow, JudgePair.parse(first, second, "not related"), now=now, handler=judge_pair)
    act(uow, change.MergeIssues(ldap, vat), now=now)
    assert verdicts(uow) == {(frozenset({first, second}), False)}
