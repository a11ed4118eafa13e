"""R-REC-5: tickets in any language are found — Unicode words folded for matching, CJK text as
character pairs — and code mixed into prose still splits as it does in English tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escdesk.similarity import SimilarityIndex
from escdesk.similarity.text import spelled_terms, terms
from tests.similarity.factories import T0, helpdesk, ticket

# (id, subject, body): a helpdesk of several languages, one ticket per problem.
MANY_LANGUAGES = [
    ("DE-1", "Größe der Anhänge über 10 MB wird abgelehnt",
     "Beim Hochladen einer Datei über 10 MB erscheint eine Fehlermeldung."),
    ("DE-2", "Kalender zeigt falsche Uhrzeit nach Zeitumstellung",
     "Seit der Sommerzeit sind alle Termine um eine Stunde verschoben."),
    ("FR-1", "Échec de la connexion après la mise à jour",
     "Depuis la mise à jour, la connexion échoue avec « identifiants invalides »."),
    ("FR-2", "Les factures affichent un montant erroné",
     "Le montant TTC des factures de mars est erroné."),
    ("JA-1", "ログインできない", "パスワードを変更した後、ログインできなくなりました。"),
    ("JA-2", "請求書のPDFが文字化けする",
     "請求書をダウンロードするとPDFの日本語が文字化けします。"),
    ("RU-1", "Ошибка при экспорте отчёта в Excel",
     "При экспорте отчёта в Excel появляется ошибка и файл пустой."),
    ("RU-2", "Не приходят уведомления на почту",
     "Уведомления о новых заявках перестали приходить на почту."),
    ("MIX-1", "TimeoutException в модуле платежей",
     "java.util.concurrent.TimeoutException at com.acme.payments.PaymentGateway.charge"),
]  # fmt: skip


def many_languages() -> SimilarityIndex:
    index = SimilarityIndex()
    index.add(helpdesk())
    index.add(
        ticket(subject, body, external_id=key, at=T0 + timedelta(days=10 + n))
        for n, (key, subject, body) in enumerate(MANY_LANGUAGES)
    )
    return index


def test_german_words_keep_their_umlauts_for_matching_as_folded_letters() -> None:
    assert terms("Über die Größe") == terms("UBER die GROSSE")
    assert "ber" not in terms("Über")  # the word, not what ASCII left of it


def test_french_accents_are_folded_for_matching() -> None:
    assert terms("Échec de la CONNEXION") == ["echec", "de", "la", "connexion"]
    assert terms("e\u0301chec") == terms("échec")  # an accent typed as a separate mark


def test_japanese_is_indexed_as_overlapping_character_pairs() -> None:
    assert terms("ログインできない") == ["ログ", "グイ", "イン", "ンで", "でき", "きな", "ない"]
    assert terms("にゃー") == ["にゃ", "ゃー"]
    assert terms("ＰＤＦ") == ["pdf"]  # full-width letters meet their ASCII twins


def test_russian_words_are_casefolded_whole_words() -> None:
    assert terms("Ошибка при ЭКСПОРТЕ") == ["ошибка", "экспорте"]


def test_code_in_other_language_prose_splits_as_in_english() -> None:
    found = terms("NullPointerException в модуле ReportScheduler.runNightly")
    assert {"null", "pointer", "exception", "модуле", "reportscheduler.runnightly"} <= set(found)


def test_words_are_shown_as_written() -> None:
    assert spelled_terms("Größe Anhänge NameNode") == [
        ("gross", "Größe"),
        ("anhang", "Anhänge"),
        ("namenod", "NameNode"),
        ("name", "Name"),
        ("node", "Node"),
    ]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Anhänge über 10 MB werden abgelehnt", "DE-1"),
        ("Uhrzeit im Kalender falsch seit der Zeitumstellung", "DE-2"),
        ("connexion échoue depuis la mise a jour", "FR-1"),
        ("montant erroné sur les factures", "FR-2"),
        ("パスワード変更後にログインできません", "JA-1"),
        ("PDFの請求書が文字化け", "JA-2"),
        ("ошибка экспорта отчёта в excel", "RU-1"),
        ("уведомления не приходят на почту", "RU-2"),
        ("TimeoutException при оплате: PaymentGateway.charge", "MIX-1"),
    ],
)
def test_a_ticket_in_any_language_finds_its_twin(subject: str, expected: str) -> None:
    query = ticket(subject, at=T0 + timedelta(days=40))
    assert many_languages().similar(query, k=1, earlier_only=True)[0].id == expected
