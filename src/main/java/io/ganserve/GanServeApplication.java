package io.ganserve;

import io.ganserve.engine.BakedNatives;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GanServeApplication {

    public static void main(String[] args) {
        BakedNatives.configure();
        System.setProperty("java.awt.headless", "true");
        SpringApplication.run(GanServeApplication.class, args);
    }
}
