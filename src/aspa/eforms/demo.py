"""The demo city's electronic forms: the nine shipped forms, loaded like `aspa forms load`."""

from aspa.eforms.loading import load_directory


def load_demo(say) -> None:
    loaded = load_directory()
    say(f"Electronic forms: {len(loaded)} loaded ({sum(entry.changed for entry in loaded)} new versions).")
