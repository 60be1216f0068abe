"""Telephony (CTI): the contact-centre system's call events, the calls they describe, and the
phone figures per queue and hour (docs/telephony.md)."""
