"""The demo city's service processes: the shipped BPMN files published and mapped to their
services. Run by `aspa demo`; a second run publishes nothing new.

The demo's generated history does not run through processes (it is written directly, long
before the processes existed); a request filed in the demo for a boat berth, a logging residue
permit, a parking fine claim or a residents' initiative starts its process, and its tasks appear
on the desk (the centre's check for `neuvoja`, the berth decision for `satama`)."""

from aspa.processes import operations


def load_demo(say) -> None:
    counts = operations.load_shipped()
    say(f"processes … {counts['published']} published, {counts['unchanged']} unchanged")
