/**
 * Small thread utilities shared by the engine and the app's workers: the latest-value
 * {@link org.scorescope.threads.Mailbox} through which threads hand over the newest settings, views, frames and
 * pictures, and {@link org.scorescope.threads.BackgroundPriority}, which runs compute threads at a lower OS
 * priority so the user interface gets a core when it wants one. Depends on nothing else in ScoreScope.
 */
package org.scorescope.threads;
