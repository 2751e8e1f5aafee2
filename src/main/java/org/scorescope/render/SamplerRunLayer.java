package org.scorescope.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.Locale;
import org.scorescope.worker.SamplerRun;

/**
 * An animated sampler run ({@link SamplerRun}): the trajectories of its tracked particles as thin paths from
 * where they started (noise) to where they are, every particle as a small disc, and a caption at the top left with
 * the sampler, its time and its network evaluations. Moving: drawn over the cached still layers.
 */
final class SamplerRunLayer implements Layer {
    private static final Color FILL = new Color(255, 236, 110);
    private static final Color EDGE = Draw.rgba(40, 30, 0, 0.85);
    private static final Color TRAIL = Draw.rgba(255, 236, 110, 0.5);
    private static final Color TRAIL_LIGHT = Draw.rgba(120, 90, 0, 0.5);
    private static final BasicStroke TRAIL_STROKE = new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private final Path2D.Double path = new Path2D.Double();
    private Sprite sprite;
    private double spriteScale;

    @Override
    public boolean shows(LayerContext c) {
        return c.sampler() != null;
    }

    @Override
    public void draw(Graphics2D g, LayerContext c) {
        SamplerRun.Frame f = c.sampler();
        g.setStroke(TRAIL_STROKE);
        g.setColor(c.dark() ? TRAIL : TRAIL_LIGHT);
        for (double[] t : f.trails()) {
            if (t.length < 4) {
                continue;
            }
            path.reset();
            path.moveTo(c.sx(t[0]), c.sy(t[1]));
            for (int i = 2; i < t.length; i += 2) {
                path.lineTo(c.sx(t[i]), c.sy(t[i + 1]));
            }
            g.draw(path);
        }
        double scale = c.scale();
        if (sprite == null || spriteScale != scale) {
            sprite = Sprite.disc(2.4 * scale, FILL, EDGE, 0.8 * scale);
            spriteScale = scale;
        }
        c.stampAll(sprite, f.positions());
        g.setFont(Draw.TICK_FONT);
        String where = Double.isNaN(f.time()) ? ""
                : (f.kind() == org.scorescope.analysis.Samplers.Kind.ANNEALED_LANGEVIN ? "  σ = " : "  t = ")
                + Fmt.num(f.time());
        String text = String.format(Locale.ROOT, "%s: %d particles, step %d%s, NFE %d%s%s", f.kind().id(),
                f.positions().length / 2, f.steps(), f.planned() > 0 ? " / " + f.planned() : "", f.evaluations(),
                where, f.done() ? " (done)" : "");
        g.setColor(c.dark() ? Draw.rgba(0, 0, 0, 0.5) : Draw.rgba(255, 255, 255, 0.8));
        double tw = g.getFontMetrics().getStringBounds(text, g).getWidth();
        g.fillRoundRect(52, 8, (int) Math.ceil(tw) + 12, 18, 8, 8);
        g.setColor(c.dark() ? Color.WHITE : new Color(40, 40, 40));
        Draw.text(g, text, 58, 21, 0, Draw.VAlign.BOTTOM);
    }

    @Override
    public boolean moving() {
        return true;
    }
}
