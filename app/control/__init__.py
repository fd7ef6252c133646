"""Control of execution: extensions of the deadline, suspensions of the clock, and the
limit for redirecting a document by competence."""
