"""Settings of the sending fault scripts (bench/fault_smtp.py,
bench/fault_worker_kill.py): the portal's own, with the sending pipeline's
clocks shortened from minutes to seconds so a script sees the automatic
retries and the lease run out while it waits."""

import os

from config.settings.base import *  # noqa: F403

# Retries after 2, 4, 8, 16 and 32 seconds instead of minutes.
MEETINGS_SEND_RETRY_DELAYS = (2, 4, 8, 16, 32)
# A killed worker's claims are taken back after 5 seconds instead of 5 minutes.
MEETINGS_SEND_LEASE_SECONDS = 5
# bench/fault_worker_kill.py --ahead N
MEETINGS_SEND_AHEAD = int(os.environ.get("FAULT_SEND_AHEAD", "2"))
