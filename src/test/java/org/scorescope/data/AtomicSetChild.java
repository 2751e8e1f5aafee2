package org.scorescope.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child process of {@link AtomicSetKillTest}: writes sets of three files in a loop, generation after generation,
 * until it is killed. Every file of generation g starts with {@code gen=g}, so a mix is visible.
 */
public final class AtomicSetChild {
    private AtomicSetChild() {
    }

    /**
     * @param args the folder and the first generation to write
     * @throws IOException if a write fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long gen = Long.parseLong(args[1]);
        System.out.println("started");
        System.out.flush();
        AtomicFiles.writeSet(dir, contents(gen++));
        // once only: a child that kept printing would block on a full pipe instead of writing
        System.out.println("wrote one set");
        System.out.flush();
        while (true) {
            AtomicFiles.writeSet(dir, contents(gen));
            gen++;
        }
    }

    /** The set of generation {@code gen}; sizes vary so writes take different times. */
    static Map<String, AtomicFiles.WriterAction> contents(long gen) {
        Map<String, AtomicFiles.WriterAction> files = new LinkedHashMap<>();
        for (String name : new String[] {"model.json", "metrics.csv", "session.scorescope"}) {
            int lines = 200 + (int) ((gen * 7919 + name.length() * 104729) % 3000);
            files.put(name, w -> {
                w.write("gen=" + gen + "\n");
                for (int i = 0; i < lines; i++) {
                    w.write(name);
                    w.write(" line " + i + " of generation " + gen + "\n");
                }
            });
        }
        return files;
    }
}
