"""Running a config: stages assembled from the registry, records streamed through them with a checkpoint per
stage, exact resume, executors, and the outputs rebuilt from the last checkpoint.

The path of a record (docs/architecture.md): ``assemble`` builds the stages and the context; ``run`` opens the
run directory; ``stream.Pipeline`` reads the seeds (``filters``, ``seed_parts``), hands chunks of ``rows`` to an
``executor`` (``local`` here, or a plugin's) that runs the ``record_stages``, appends them to each stage's
``checkpoint``, then runs the combiner and the outputs; ``stats`` and ``progress`` count; ``forecast`` is
``--dry-run``; ``rebuild`` writes the outputs again from the checkpoints; ``resume`` checks a run directory
may be resumed; ``code_verifier`` is the core's ``code`` verifier.
"""
