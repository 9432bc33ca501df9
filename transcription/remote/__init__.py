"""The transcription queue on PostgreSQL: procrastinate runs the work, workers run on any machine.

With SQLite the bot keeps its embedded queue (rows in ``transcription_jobs``, one worker process beside the bot).
With PostgreSQL the same rows stay the record of every job, the one the bot shows (state, progress, attempts,
engine, model, result), and procrastinate, a queue engine in the same database, delivers the work:

- **Handing over** (:mod:`.dispatcher`). A due ledger job gets one engine job whose lock is the ledger id. Whether
  a job has been handed over is read from the engine's table, in the transaction that hands it over, under an
  advisory lock: nothing to lose, nothing to do twice. Only as many engine jobs wait as there are live workers,
  so the ledger's order (people take turns) decides at the last moment. The bot runs rounds, and so does every
  worker between jobs: the queue flows while the bot restarts.
- **Working** (:mod:`.consumer`, ``evidence-bot worker``). One job at a time: the worker marks the ledger row
  running, fetches the media from the storage, transcribes in a child process with the usual time limits,
  writes progress into the row, and records the result, a retry or a failure by the same rules as the bot
  (:mod:`transcription.outcomes`). It never speaks to Discord.
- **Dead workers** (:mod:`.engine`). Workers send heartbeats; one silent for ``stalled_after`` is taken for dead
  and its engine job waits again; the next worker takes the ledger row over and counts the attempt. Each write
  checks, with the engine's row locked, that the engine still gives the job to that worker, so a worker wrongly
  taken for dead cannot overwrite its successor.
- **The bot** (:mod:`.runner`) listens on a notification channel (the workers notify in their transactions) and
  then hands out reused results, announces ended jobs to the witnesses, and hands over more work; it also polls,
  so a lost notification only delays. It may run workers of its own (``EVIDENCE_BOT_TRANSCRIPTION_WORKERS``).

Why procrastinate rather than pgqueuer (both claim with ``SKIP LOCKED``, retry and watch heartbeats; see
benchmarks/results/queue_engines.md): a procrastinate worker takes exactly one job at a time (pgqueuer holds at least
two, so one would wait behind a long transcription while another worker idles); it queues through a versioned SQL
function that runs inside our own transaction; it uses psycopg, which the store already has, and pulls in fewer
packages; and it is maintained by a group with a stable API across its 3.x releases. Its one gap, putting back the
jobs of dead workers, is a documented pattern of a few lines (:func:`.engine.retry_stalled`).
"""
