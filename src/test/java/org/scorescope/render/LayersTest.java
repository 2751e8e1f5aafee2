package org.scorescope.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scorescope.field.Colormap;
import org.scorescope.worker.FrameData;
import org.scorescope.worker.SamplerRun;
import org.scorescope.worker.SpectraResult;

/**
 * The field view as a list of layers: the standard order, every layer drawing something on a frame that has
 * something for each (a sampler run half-way for the run's layer), drawing in list order with the moving layers last, and the switches as a value.
 */
class LayersTest {
    private static final int W = RenderScenes.W;
    private static final int H = RenderScenes.H;

    private static int[] draw(List<Layer> layers, FrameData f, ViewLayers shown, SpectraResult.Glyphs glyphs) {
        return draw(layers, f, shown, glyphs, null);
    }

    private static int[] draw(List<Layer> layers, FrameData f, ViewLayers shown, SpectraResult.Glyphs glyphs,
                              SamplerRun.Frame sampler) {
        BufferedImage img = FieldRenderer.newImage(W, H);
        FieldRenderer r = new FieldRenderer(layers);
        r.renderBase(img, 1, W, H, RenderScenes.VIEW, f, f.field(), shown, glyphs);
        r.renderMoving(img, 1, W, H, RenderScenes.VIEW, f, shown, sampler);
        return Sprite.pixels(img).clone();
    }

    private static List<String> names(List<Layer> layers) {
        return layers.stream().map(Layer::name).toList();
    }

    @Test
    void theStandardLayersComeInDrawingOrder() {
        assertEquals(List.of("DensityLayer", "GridLayer", "TrueContourLayer", "ContourLayer", "TrueArrowLayer",
                "StreamlineLayer", "ArrowLayer", "DataLayer", "GlyphLayer", "LegendLayer", "SampleLayer",
                "SamplerRunLayer"), names(FieldRenderer.standardLayers()));
        assertTrue(FieldRenderer.standardLayers().get(11).moving());
        assertTrue(FieldRenderer.standardLayers().get(10).moving());
        assertFalse(FieldRenderer.standardLayers().get(9).moving());
    }

    @Test
    void everyLayerDrawsSomethingOfItsOwn() {
        SpectraResult.Glyphs glyphs = RenderScenes.glyphs();
        SamplerRun.Frame sampler = RenderScenes.sampler();
        ViewLayers arrows = ViewLayers.standard();
        ViewLayers streamlines = arrows.with(ViewLayers.Switch.STREAMLINES, true);
        FrameData arrowFrame = RenderScenes.frame(false, Colormap.VIRIDIS);
        FrameData streamFrame = RenderScenes.frame(true, Colormap.MAGMA);
        List<String> covered = new ArrayList<>();
        for (int k = 0; k < FieldRenderer.standardLayers().size(); k++) {
            String name = FieldRenderer.standardLayers().get(k).name();
            boolean stream = name.equals("StreamlineLayer");
            FrameData f = stream ? streamFrame : arrowFrame;
            ViewLayers shown = stream ? streamlines : arrows;
            Layer layer = FieldRenderer.standardLayers().get(k);
            LayerContext c = new LayerContext(FieldRenderer.newImage(W, H), 1, W, H, RenderScenes.VIEW, f, f.field(),
                    glyphs, shown, sampler);
            assertTrue(layer.shows(c), name + " has something to show in this frame");
            List<Layer> without = new ArrayList<>(FieldRenderer.standardLayers());
            without.remove(k);
            int[] all = draw(FieldRenderer.standardLayers(), f, shown, glyphs, sampler);
            int[] rest = draw(without, f, shown, glyphs, sampler);
            assertFalse(Arrays.equals(all, rest), name + " changes the picture");
            covered.add(name);
        }
        assertEquals(names(FieldRenderer.standardLayers()), covered);
    }

    @Test
    void switchedOffLayersDrawNothing() {
        FrameData f = RenderScenes.frame(false, Colormap.VIRIDIS);
        ViewLayers noData = ViewLayers.standard().with(ViewLayers.Switch.DATA, false);
        List<Layer> withoutData = new ArrayList<>(FieldRenderer.standardLayers());
        withoutData.removeIf(l -> l.name().equals("DataLayer"));
        assertArrayEquals(draw(withoutData, f, ViewLayers.standard(), null),
                draw(FieldRenderer.standardLayers(), f, noData, null));
    }

    @Test
    void layersDrawInListOrderWithTheMovingOnesLast() {
        List<String> drawn = new ArrayList<>();
        List<Layer> recorded = new ArrayList<>();
        for (Layer l : FieldRenderer.standardLayers()) {
            recorded.add(new Layer() {
                @Override
                public boolean shows(LayerContext c) {
                    return l.shows(c);
                }

                @Override
                public void draw(Graphics2D g, LayerContext c) {
                    drawn.add(l.name());
                    l.draw(g, c);
                }

                @Override
                public boolean moving() {
                    return l.moving();
                }
            });
        }
        FrameData f = RenderScenes.frame(false, Colormap.VIRIDIS);
        draw(recorded, f, ViewLayers.standard(), RenderScenes.glyphs());
        assertEquals(List.of("DensityLayer", "GridLayer", "TrueContourLayer", "ContourLayer", "TrueArrowLayer",
                "ArrowLayer", "DataLayer", "GlyphLayer", "LegendLayer", "SampleLayer"), drawn,
                "arrows, not streamlines, in arrow style");
        List<Layer> movingFirst = new ArrayList<>(FieldRenderer.standardLayers());
        movingFirst.add(0, movingFirst.remove(movingFirst.size() - 1));
        assertThrows(IllegalArgumentException.class, () -> new FieldRenderer(movingFirst));
    }

    /** A layer is one class: appended to the list, it draws over everything still beneath it. */
    @Test
    void aLayerAddedLaterDrawsOnTop() {
        Color mark = new Color(1, 2, 3);
        Layer box = new Layer() {
            @Override
            public boolean shows(LayerContext c) {
                return true;
            }

            @Override
            public void draw(Graphics2D g, LayerContext c) {
                g.setColor(mark);
                g.fill(new Rectangle2D.Double(0, 0, c.width(), c.height()));
            }
        };
        List<Layer> layers = new ArrayList<>(FieldRenderer.standardLayers());
        layers.add(names(layers).indexOf("SampleLayer"), box);
        FrameData f = RenderScenes.frame(false, Colormap.VIRIDIS);
        int[] px = draw(layers, f, ViewLayers.standard().with(ViewLayers.Switch.SAMPLES, false), null);
        for (int v : px) {
            assertEquals(mark.getRGB(), v, "the box covers every still layer");
        }
    }

    @Test
    void switchesAreAValue() {
        ViewLayers a = ViewLayers.of(ViewLayers.Switch.DATA, ViewLayers.Switch.FIELD);
        ViewLayers b = ViewLayers.none().with(ViewLayers.Switch.FIELD, true).with(ViewLayers.Switch.DATA, true);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertSame(a, a.with(ViewLayers.Switch.DATA, true), "no change, same value");
        assertNotEquals(a, a.with(ViewLayers.Switch.DATA, false));
        assertFalse(ViewLayers.standard().has(ViewLayers.Switch.STREAMLINES));
        assertTrue(ViewLayers.standard().has(ViewLayers.Switch.LEGEND));
        assertThrows(UnsupportedOperationException.class, () -> a.switches().clear());
    }

    @Test
    void contourLabelsTakeABoundedSetOfRotations() {
        java.util.Set<Double> angles = new java.util.HashSet<>();
        java.util.Random rng = new java.util.Random(1);
        double halfStep = Math.toRadians(ContourLayer.LABEL_ANGLE_STEP_DEGREES) / 2;
        for (int i = 0; i < 10_000; i++) {
            double a = (rng.nextDouble() - 0.5) * Math.PI;
            double q = ContourLayer.labelAngle(a);
            assertTrue(Math.abs(q - a) <= halfStep + 1e-15, "rounded by at most half a step");
            angles.add(q + 0.0); // -0.0 and 0.0 are one rotation
        }
        assertTrue(angles.size() <= 180 / ContourLayer.LABEL_ANGLE_STEP_DEGREES + 1, angles.size() + " rotations");
    }
}
