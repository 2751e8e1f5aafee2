/**
 * Java2D drawing of the field view, on any thread and headless. {@link org.scorescope.render.FieldRenderer}
 * draws a frame as a list of {@link org.scorescope.render.Layer}s in order (heat map, grid, contours, arrows or
 * streamlines, data, glyphs, legend, samples), switched by a {@link org.scorescope.render.ViewLayers} value;
 * {@link org.scorescope.render.FieldRasterizer} does it on a thread of its own for the screen, caching the still
 * layers under the moving samples; {@link org.scorescope.render.ViewImage} makes PNG pictures for export and the
 * {@code render} command. No JavaFX (the build checks it).
 */
package org.scorescope.render;
