/**
 * What the field view shows, computed from a model off the FX thread: a {@link org.scorescope.field.FieldRequest}
 * (visible rectangle, canvas size, grid and contour options) becomes a {@link org.scorescope.field.FieldFrame}
 * (log-density grid, contours, arrows, streamlines) by {@link org.scorescope.field.FieldComputer}, which also
 * answers the inspector ({@link org.scorescope.field.HoverInfo}); plus the view's coordinates
 * ({@link org.scorescope.field.ViewBox}), colormaps and the live sampler's settings. No threads, no drawing and
 * no JavaFX (the build checks it).
 */
package org.scorescope.field;
