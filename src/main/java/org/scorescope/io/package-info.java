/**
 * Defensive file input and output shared by the command line and the app: bounded readers that stop at a size
 * limit while reading ({@link org.scorescope.io.Inputs}, {@link org.scorescope.io.InputLimits}), strict UTF-8 line
 * reading with line numbers ({@link org.scorescope.io.Utf8LineReader}), output path checks made before any work
 * starts ({@link org.scorescope.io.OutputPaths}) and memory estimates made before large allocations
 * ({@link org.scorescope.io.MemoryBudget}).
 */
package org.scorescope.io;
