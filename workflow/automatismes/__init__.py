"""What runs by itself: the outbox, reminders, the transition e-mails, retention, the sweep, the scheduler.

Importing the package plugs the transition e-mails into the engine (workflow.automatismes.transitions registers
itself in workflow.noyau.moteur.SUITES): the app, the worker and the tests all import it."""

from workflow.automatismes import transitions  # noqa: F401
