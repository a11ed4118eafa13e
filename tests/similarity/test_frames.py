"""Stack traces: a trace's frames weigh less than its exception and the prose, so tickets that
share only test-harness frames are neither one recurring issue nor each other's best match."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from escdesk.domain.ticket import Ticket
from escdesk.similarity import SimilarityIndex
from escdesk.similarity.grouping import join_in_time_order
from escdesk.similarity.reading import read
from tests.similarity.factories import T0, helpdesk, ticket

JUNIT = "\n".join(
    f"\tat {frame}"
    for frame in (
        "sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
        "sun.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:62)",
        "sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
        "java.lang.reflect.Method.invoke(Method.java:498)",
        "org.junit.runners.model.FrameworkMethod$1.runReflectiveCall(FrameworkMethod.java:50)",
        "org.junit.internal.runners.model.ReflectiveCallable.run(ReflectiveCallable.java:12)",
        "org.junit.runners.model.FrameworkMethod.invokeExplosively(FrameworkMethod.java:47)",
        "org.junit.internal.runners.statements.InvokeMethod.evaluate(InvokeMethod.java:17)",
        "org.junit.runners.ParentRunner.runLeaf(ParentRunner.java:325)",
        "org.junit.runners.BlockJUnit4ClassRunner.runChild(BlockJUnit4ClassRunner.java:78)",
        "org.junit.runners.ParentRunner$3.run(ParentRunner.java:290)",
        "org.junit.runners.ParentRunner.runChildren(ParentRunner.java:288)",
        "org.junit.runners.ParentRunner.run(ParentRunner.java:363)",
        "org.apache.maven.surefire.junit4.JUnit4Provider.execute(JUnit4Provider.java:365)",
        "org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:418)",
    )
)
FAILURES = [
    ("TestBalancer fails with timeout", "java.util.concurrent.TimeoutException: balancer idle"),
    ("TestKMS key rollover assertion", "java.lang.AssertionError: expected key version 2"),
    ("TestDistCp copies empty directories", "java.io.FileNotFoundException: /tmp/dst/empty"),
    ("TestRouterRpc flaky on Windows", "java.net.BindException: Address already in use"),
]


def trace_tickets() -> list[Ticket]:
    out = []
    for n, (subject, exception) in enumerate(FAILURES):
        body = f"The test fails on trunk.\n{exception}\n{JUNIT}"
        out.append(ticket(subject, body, at=T0 + timedelta(days=40 + n)))
    return out


def test_harness_frames_add_few_terms_to_a_ticket() -> None:
    reading = read(ticket("TestKMS fails", f"java.lang.AssertionError: boom\n{JUNIT}"))
    assert "junit" not in reading.body and "surefire" not in reading.body
    assert "assertionerror" in reading.body or "java.lang.assertionerror" in reading.body


def test_tickets_sharing_only_junit_frames_form_no_recurring_issue() -> None:
    index = SimilarityIndex(rerank=False)
    index.add(helpdesk() + trace_tickets())
    rows = np.arange(len(index.corpus.ids), dtype=np.int64)
    clusters = np.full(rows.size, -1, dtype=np.int64)
    joined = join_in_time_order(index.corpus, rows.copy(), clusters, rows)
    traced = joined[-len(FAILURES) :]
    assert all(j.neighbour is None for j in traced), traced


def test_the_same_exception_still_finds_its_twin_through_the_frames() -> None:
    tickets = helpdesk() + trace_tickets()
    index = SimilarityIndex()
    index.add(tickets)
    twin = ticket(
        "KMS rollover test broken again",
        f"java.lang.AssertionError: expected key version 2\n{JUNIT}",
        at=T0 + timedelta(days=60),
    )
    found = index.similar(twin, k=3)
    assert found[0].id == tickets[-3].external_id  # the TestKMS ticket, not another harness one


FILLER = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def test_a_camel_case_word_does_not_drown_the_plain_words_beside_it() -> None:
    namenode = [
        ("NameNode web UI shows wrong capacity", "The NameNode UI capacity figure is off."),
        ("NameNode failover takes minutes", "Standby NameNode takes over slowly."),
        ("Add RPC quota to NameNode", "Limit calls per user on the NameNode."),
        ("NameNode access time precision", "atime precision on the NameNode."),
        ("NameNode startup is slow with many snapshots", "NameNode restart reads snapshots."),
        ("Refresh NameNode IP changes on reconnect", "Client keeps the old NameNode address."),
        ("NameNode audit log misses the caller", "The NameNode audit log lacks the user."),
        ("NameNode metrics for observer reads", "Observer NameNode metrics missing."),
    ]
    memory = [
        ("Out of memory in the DataNode", "The DataNode heap fills up; memory exhausted."),
        ("Memory leak in the RPC client", "Client memory keeps growing."),
        ("Heap memory grows until the JVM dies", "OutOfMemoryError after a day."),
    ]
    tickets = [
        ticket(s, b, at=T0 + timedelta(hours=n)) for n, (s, b) in enumerate(namenode + memory)
    ]
    tickets += helpdesk(T0 + timedelta(days=2))
    tickets += [
        ticket(f"{a} {b} report", f"{a} {b} {c}", at=T0 + timedelta(days=3, hours=n))
        for n, (a, b, c) in enumerate(zip(FILLER * 3, FILLER[1:] * 3, FILLER[2:] * 3, strict=False))
    ]
    about_memory = {t.external_id for t in tickets if "emory" in t.subject}
    query = ticket("NameNode runs out of memory after upgrade", at=T0 + timedelta(days=30))
    for rerank in (True, False):
        index = SimilarityIndex(rerank=rerank)
        index.add(tickets)
        top = [m.id for m in index.similar(query, k=5)]
        assert about_memory & set(top[:2]), (rerank, top)
