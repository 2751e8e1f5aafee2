/**
 * The threads that do the app's numerical work and the immutable snapshots they publish.
 * {@link org.scorescope.worker.TrainingWorker} owns the trainer, the data, the fields of the view and the Langevin
 * samples, takes settings and commands through mailboxes and a queue, and publishes
 * {@link org.scorescope.worker.FrameData} about every 16 ms; {@link org.scorescope.worker.SpectraService} computes
 * the spectra of a snapshot on a thread of its own; {@link org.scorescope.worker.StillFrame} makes the frame of a
 * model at rest without a thread (the headless {@code render} command); {@link org.scorescope.worker.FrameStats}
 * measures frame times. No JavaFX (the build checks it): the app's view-models read the frames on the FX thread.
 */
package org.scorescope.worker;
