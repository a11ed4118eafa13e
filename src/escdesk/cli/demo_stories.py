"""The demo's escalations, each a story from opening to today (hours relative to the real now).

Together they cover every severity and state: opened, active, monitoring, closed and one
reopened; product escalations with product DRI and leader, overdue updates, slipped and
missed ETAs, a services-project escalation and two ticket attention requests (STARs).
"""

from __future__ import annotations

from escdesk.cli.demo_data import (
    D,
    Story,
    close,
    customer,
    done,
    eta,
    handover,
    internal,
    monitor,
    reopen,
    severity,
)

STAR = "ticket_attention_request"

# A data table: one story per block reads better than one argument per line.
# fmt: off
STORIES = [
    Story(
        "Northwind Health", "critical", "EHR sync drops lab results for 2 of 14 hospitals",
        "A sync-service engineer with the customer's integration team every day until no "
        "result has been lost for a week", ("HL7/FHIR integration", "PostgreSQL replication"),
        "Mei Lin", -9 * D, route="csm", product=("Yuki Tanaka", "Samuel Adeyemi"),
        exits=("No lab result lost for 7 consecutive days", "Fix deployed to all 14 hospitals",
               "Replay of the 312 lost results confirmed by the customer"),
        eta=-5 * D,
        steps=(
            internal(-9 * D + 2, "War room open; sync logs pulled for both affected hospitals."),
            customer(-9 * D + 4, "We reproduced the dropped results; an engineer is on it."),
            internal(-8 * D, "Drops happen when a batch exceeds 500 messages."),
            customer(-8 * D + 1, "Cause narrowed to message batching; a fix is being designed."),
            eta(-6 * D, -1 * D, "The fix needs a schema change in the batching layer"),
            done(-5 * D, 3),
            internal(-4 * D, "Fix in staging; replaying a week of production traffic."),
            customer(-4 * D + 2, "All 312 lost results were replayed and confirmed by your team."),
            eta(-2 * D, 2 * D, "The customer's change freeze moves the rollout to Thursday"),
            customer(-30, "Rollout plan agreed with the integration team: 4 hospitals first."),
            internal(-20, "Fix live at 4 of 14 hospitals; nothing dropped in 20 hours."),
        ),
    ),
    Story(
        "Helios Bank", "critical", "SSO login loop blocks the trading-desk pilot for 400 users",
        "An identity engineer on a call with the bank's IAM team today, and a workaround "
        "before Friday's pilot review", ("SAML and OIDC", "Azure AD"),
        "Hannah Schmidt", -3, route="sales", product=("Rafael Costa", "Samuel Adeyemi"),
        exits=("All 400 pilot users sign in through SSO", "Pilot review held with no blocker"),
        eta=45,
    ),
    Story(
        "Tidewater Energy", "high", "Meter-reading ingestion lags 40 minutes at peak load",
        "A data-pipeline engineer to tune ingestion with the customer's grid-operations team",
        ("Kafka", "time-series storage"),
        "Hannah Schmidt", -5 * D, route="csm", product=("Yuki Tanaka", "Ingrid Johansson"),
        exits=("Lag under 2 minutes through a month-end close",), eta=3 * D,
        steps=(
            internal(-5 * D + 3, "Lag reproduced with the customer's peak profile: 40 minutes."),
            customer(-5 * D + 5, "We reproduced the lag and are profiling the ingestion workers."),
            internal(-4 * D, "Partition skew: 70% of meters hash to 3 of 24 partitions."),
            severity(-3 * D, "critical", "The lag now breaks the regulatory reporting window",
                     product_leader="Samuel Adeyemi"),
            internal(-3 * D + 2, "Hotfix 7.3.2 rebalances partitions; rolling out tonight."),
            customer(-3 * D + 3, "Hotfix 7.3.2 goes out tonight in your maintenance window."),
            internal(-2 * D, "Hotfix live; peak lag down to 90 seconds."),
            customer(-2 * D + 1, "Peak lag is down to 90 seconds since the hotfix."),
            monitor(-30, "Hotfix keeps lag under 2 minutes; watching through month-end close"),
            internal(-10, "Month-end close went through with at most 85 seconds of lag."),
            customer(-9, "Month-end close completed on time; we keep watching until Friday."),
        ),
    ),
    Story(
        "Fjord Logistics", "high", "Route optimiser times out on fleets over 5,000 vehicles",
        "An optimiser engineer to profile the customer's largest depot and a dated fix plan",
        ("route optimisation", "performance profiling"),
        "Olivia Bennett", -6 * D, route="csm", product=("Rafael Costa", "Ingrid Johansson"),
        exits=("Nightly plan for 8,000 vehicles finishes in under 20 minutes",), eta=-4 * D,
        steps=(
            internal(-6 * D + 2, "Timeouts reproduced with an anonymised copy of the fleet."),
            customer(-6 * D + 4, "We reproduced the timeouts on a copy of your fleet data."),
            eta(-5 * D, -1 * D, "Needs a redesigned spatial index, not a timeout increase"),
            internal(-4 * D, "Spatial index prototype cuts planning time by 60%."),
            customer(-4 * D + 1, "A prototype cuts planning time by 60%; hardening it now."),
            internal(-3 * D, "Prototype fails on depots with overlapping zones."),
            internal(-2 * D, "Overlapping-zone fix in review."),
            customer(-26, "The fix is in review; we will confirm a new date tomorrow."),
        ),
    ),
    Story(
        "Kestrel Insurance", "high", "Claims import rejects 8% of migrated policies",
        "The migration team's data engineer and a product specialist on claims rules",
        ("data migration", "claims rules engine"),
        "Sofia Rossi", -4 * D, route="services",
        exits=("Import rejects under 0.1% of policies",
               "Rejected policies re-imported and verified by the customer"),
        eta=3 * D,
        steps=(
            internal(-4 * D + 1, "Rejections are policies with riders added before 2019."),
            customer(-4 * D + 3, "We found the pattern: policies with pre-2019 riders."),
            internal(-3 * D, "Mapping for legacy riders written; testing on 10,000 policies."),
            customer(-2 * D, "Legacy-rider mapping passes on a 10,000-policy sample."),
            internal(-1 * D, "Full re-run scheduled for the weekend migration window."),
            internal(-6, "Dry run: 0.04% rejected, all with missing beneficiary data."),
            customer(-5, "Dry run rejected 0.04%; we sent you the list to complete."),
        ),
    ),
    Story(
        "Lumen Retail", "high", "Checkout times out during flash sales",
        "A payments engineer on the customer's sale-day bridge and a load test before the "
        "next sale", ("payment gateways", "load testing"),
        "Olivia Bennett", -20 * D, route="csm",
        exits=("No checkout timeout during a flash sale", "Load test at 3x peak passes"),
        eta=-15 * D,
        steps=(
            internal(-20 * D + 2, "Gateway calls time out after 10 s under sale traffic."),
            customer(-20 * D + 4, "We see the gateway timeouts and are on your sale bridge."),
            internal(-19 * D, "Retry policy with jitter prepared; load test scheduled."),
            customer(-18 * D, "The load test at 3x peak passed with the new retry policy."),
            done(-16 * D, 2),
            monitor(-15 * D, "Retry policy live; watching through the weekend sale"),
            close(-12 * D, "Dana Whitfield, IT director", "email",
                  waive={1: "The weekend sale ran clean; the next flash sale is in spring"}),
            reopen(-3 * D, "Checkout timeouts are back since the customer upgraded to 4.2"),
            handover(-3 * D + 1, "dri", "Mei Lin", "Olivia is on leave; Mei covers Lumen Retail"),
            eta(-3 * D + 2, 2 * D, "New ETA after the reopening: 4.2 drops the retry setting"),
            internal(-2 * D, "Release 4.2 resets the gateway retry setting on upgrade."),
            customer(-2 * D + 2, "We found why the timeouts returned; a patch is on its way."),
            internal(-1 * D, "Patch 4.2.1 keeps the setting; in QA."),
            internal(-8, "Patch 4.2.1 passed QA; deploying before tomorrow's sale."),
            customer(-7, "Patch 4.2.1 will be live before tomorrow's sale."),
        ),
    ),
    Story(
        "Pinecrest University", "high", "Grade export corrupts weighted averages",
        "An engineer who knows the grading module, with the registrar before term ends",
        ("grading module", "CSV export"),
        "Mei Lin", -25 * D, route="csm", product=("Yuki Tanaka", "Ingrid Johansson"),
        exits=("Weighted averages match the registrar's sheet", "Export fix released"),
        eta=-19 * D,
        steps=(
            internal(-25 * D + 3, "Rounding happens before weighting in the export."),
            customer(-25 * D + 5, "We reproduced the wrong averages; the cause is rounding."),
            internal(-24 * D, "Fix written; a second case with dropped lowest grades found."),
            eta(-20 * D, -17 * D, "A second patch is needed for dropped lowest grades"),
            customer(-19 * D, "Both fixes are in test with a copy of last term's grades."),
            done(-17 * D, 1, 2),
            monitor(-16 * D, "Fix released in 7.2.4; watching the end-of-term export"),
            close(-8 * D, "Dr. Alan Moore, Registrar", "meeting",
                  rca="https://wiki.example.com/rca/pinecrest-grade-export"),
        ),
    ),
    Story(
        "Saffron Foods", "medium", "Ticket 48213: label printers skip every tenth label",
        "A support engineer with printer-driver experience to work the ticket with the plant",
        ("label printer drivers",), "Priya Raman", -12 * D, kind=STAR, eta=-7 * D,
        steps=(
            internal(-12 * D + 1, "Skips match the printers' firmware buffer size."),
            customer(-12 * D + 2, "We can reproduce the skipped labels with your printer model."),
            customer(-9 * D, "The printer vendor confirmed a firmware bug; update expected."),
            eta(-8 * D, 3 * D, "Waiting on the printer vendor's firmware update"),
            internal(-5 * D, "Vendor firmware beta received; testing in the lab."),
            internal(-2 * D, "Firmware beta fixes the skips; vendor release date pending."),
        ),
    ),
    Story(
        "Quanta Robotics", "medium", "Evaluation cluster cannot reach the licence server",
        "An engineer to walk the customer's IT team through proxy settings during the trial",
        ("network proxies", "licensing"), "Olivia Bennett", -20, route="sales",
    ),
    Story(
        "Northwind Health", "medium", "Nightly backup verification fails on the archive node",
        "A support engineer to pair with the customer's DBA on the archive node",
        ("backup and restore",), "Lars Eriksen", -15 * D,
        exits=("Seven nightly verifications in a row pass",), eta=-8 * D,
        steps=(
            internal(-15 * D + 1, "Verification reads a stale checksum file on the archive node."),
            customer(-15 * D + 2, "We found a stale checksum file; a workaround is on its way."),
            eta(-9 * D, 10 * D, "Permanent fix is scheduled for release 7.4"),
            internal(-9 * D + 3, "Workaround: regenerate checksums before verification."),
            customer(-9 * D + 4, "Please apply the checksum workaround; the fix ships in 7.4."),
            monitor(-6 * D, "Workaround in place; permanent fix ships in 7.4"),
            internal(-2 * D, "Five nightly verifications passed with the workaround."),
            customer(-2 * D + 1, "Five verifications in a row have passed."),
        ),
    ),
    Story(
        "Fjord Logistics", "medium", "Driver app loses offline edits after sync",
        "A mobile engineer to reproduce with the customer's handheld devices",
        ("mobile offline sync",), "Amara Okafor", -30 * D, eta=-20 * D,
        steps=(
            internal(-30 * D + 1, "Edits made during sync are overwritten by the server copy."),
            customer(-30 * D + 3, "We reproduced the lost edits on your handheld model."),
            internal(-25 * D, "Fix merges offline edits; released in app 3.8."),
            customer(-24 * D, "App 3.8 with the fix is in the store."),
            close(-18 * D, "Jonas Berg, fleet operations lead", "ticket"),
        ),
    ),
    Story(
        "Orbital Media", "low", "Ticket 50377: video thumbnails fail for HEIC uploads",
        "A support engineer to confirm the supported formats with the prospect's team",
        ("media transcoding",), "Diego Fernandez", -6 * D, kind=STAR, eta=4 * D,
        steps=(
            internal(-6 * D + 1, "HEIC is not in the thumbnailer's format list."),
            customer(-6 * D + 2, "HEIC thumbnails are not supported yet; a fix is planned."),
            internal(-1 * D, "HEIC support added to the thumbnailer; in QA."),
        ),
    ),
    Story(
        "Helios Bank", "low", "Audit-log export leaves the time zone out of CSV headers",
        "A support engineer to confirm the expected format with the bank's auditors",
        ("audit logging",), "Priya Raman", -2,
    ),
    Story(
        "Tidewater Energy", "low", "Dashboard tooltips show values in the wrong unit",
        "A support engineer to collect the affected dashboards", ("dashboards",),
        "Lars Eriksen", -22 * D,
        steps=(
            internal(-22 * D + 2, "Tooltips ignore the per-panel unit override."),
            customer(-22 * D + 3, "Fixed in 7.3.1; please upgrade when convenient."),
            close(-8 * D, "Ravi Patel, platform admin", "email"),
        ),
    ),
]
# fmt: on
