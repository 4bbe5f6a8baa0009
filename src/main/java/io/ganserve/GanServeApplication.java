package io.ganserve;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GanServeApplication {

    public static void main(String[] args) {
        SpringApplication.run(GanServeApplication.class, args);
    }
}
