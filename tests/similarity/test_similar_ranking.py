from datetime import timedelta

from tests.similarity.factories import T0, helpdesk_index, ticket


def test_a_paraphrased_duplicate_ranks_first() -> None:
    index = helpdesk_index()
    new = ticket(
        "Login fails with invalid credentials",
        "Since resetting my password I cannot sign in any more.",
        at=T0 + timedelta(days=30),
    )
    matches = index.similar(new, k=3, earlier_only=True)
    assert matches[0].id == "H-0"
    assert matches[0].score > matches[1].score


def test_a_stack_trace_finds_the_ticket_named_in_camel_case() -> None:
    index = helpdesk_index()
    new = ticket(
        "Nightly reports not generated",
        "Exception in thread main java.lang.NullPointerException\n"
        "    at com.acme.reports.ReportScheduler.runNightly(ReportScheduler.java:88)",
        at=T0 + timedelta(days=30),
    )
    assert index.similar(new, k=1, earlier_only=True)[0].id == "H-5"


def test_the_reason_is_the_terms_both_tickets_share() -> None:
    index = helpdesk_index()
    new = ticket(
        "VAT rate wrong on invoice", "Books should have 7% VAT", at=T0 + timedelta(days=30)
    )
    best = index.similar(new, k=1)[0]
    assert best.id == "H-1"
    assert {"vat", "invoic", "rate", "book"} <= set(best.shared_terms)
    assert "wrong" in best.shared_terms
    assert "7" not in best.shared_terms  # single digits are not terms


def test_earlier_only_excludes_later_and_same_time_tickets() -> None:
    index = helpdesk_index()
    at = T0 + timedelta(days=3)  # the moment H-3 (CSV export) was filed
    index.add(
        [
            ticket("CSV export loses accents", "Names lose their accents", at=at, external_id="S"),
            ticket("CSV export loses umlauts", "Umlauts vanish", at=at + timedelta(hours=1),
                   external_id="L"),
        ]
    )  # fmt: skip
    query = ticket("Accents and umlauts missing in CSV export", at=at, external_id="Q")
    everything = {m.id for m in index.similar(query, k=20)}
    earlier = {m.id for m in index.similar(query, k=20, earlier_only=True)}
    assert {"H-3", "S", "L"} <= everything
    assert earlier.isdisjoint({"H-3", "S", "L"})
    assert earlier <= {"H-0", "H-1", "H-2"}


def test_a_query_by_id_never_returns_the_ticket_itself() -> None:
    index = helpdesk_index()
    index.add([ticket("Invoices show a wrong VAT rate for books", at=T0 + timedelta(days=9))])
    ids = [m.id for m in index.similar("H-1", k=5)]
    assert "H-1" not in ids
    assert ids[0].startswith("T-")


def test_tickets_sharing_no_term_are_not_returned() -> None:
    index = helpdesk_index()
    assert index.similar(ticket("Quarterly zeppelin xylophone"), k=5) == []


def test_bm25f_alone_ranks_the_same_duplicate_first() -> None:
    index = helpdesk_index(rerank=False)
    new = ticket("Okta sign-in loops forever", "redirect loop between Okta and the app")
    assert index.reranker is None
    assert index.similar(new, k=1)[0].id == "H-7"
