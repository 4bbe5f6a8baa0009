package io.ganserve.engine;

import ai.djl.engine.Engine;
import java.io.IOException;

/**
 * Unpacks libtorch from the natives jar into DJL's cache ({@code DJL_CACHE_DIR}), copies JNA's
 * library beside it ({@link BakedNatives}), and exits: the image runs it at build time, so
 * containers start with the natives in place instead of unpacking about 430 MB at every start
 * (docs/operations.md "Image layers").
 *
 * <pre>DJL_CACHE_DIR=/opt/djl java -Dai.djl.offline=true -cp ganserve.jar io.ganserve.engine.ExtractNatives</pre>
 */
public final class ExtractNatives {

    private ExtractNatives() {
    }

    public static void main(String[] args) throws IOException {
        BakedNatives.configure();
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println("DJL " + engine.getEngineName() + " " + engine.getVersion() + " natives in "
                + System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
        System.out.println("JNA's library in " + BakedNatives.bakeJna());
    }
}
