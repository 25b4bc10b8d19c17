"""The hand-over from the services to the background worker, in one
direction: meetings.tasks imports the services, never the reverse.

The worker's tasks (meetings.tasks) call the services: the sending pipeline
(.sending), the automatic reminders (.invitations) and the minutes e-mail.
The services in turn queue those tasks once their transaction commits.
Rather than import meetings.tasks (a circle, even when put off until call
time), they look the task objects up here by name: meetings.tasks
registers each one as it is defined (@worker_task_register), and
MeetingsConfig.ready imports meetings.tasks at start-up, so every process
that runs a service has them. Asking for a task that was never registered
is an error, never a silently lost e-mail."""

from django.tasks import Task

_registered: dict[str, Task] = {}


def worker_task_register(task: Task) -> Task:
    """Make `task` available to the services under its function's name;
    a decorator, above @task(), in meetings.tasks."""
    _registered[task.name] = task
    return task


def worker_task(name: str) -> Task:
    """The task meetings.tasks registered under `name`."""
    try:
        return _registered[name]
    except KeyError:
        raise LookupError(
            f"The task {name!r} is not registered: meetings.tasks is imported "
            "by MeetingsConfig.ready; is the meetings app installed?"
        ) from None
