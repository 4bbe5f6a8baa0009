package io.ganserve.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Latency of the sampling endpoints as a histogram (so Prometheus computes any percentile),
 * tagged by route, format and outcome: a handful of series, whatever the traffic.
 */
@Configuration(proxyBeanMethods = false)
public class SamplingRequestMetrics implements WebMvcConfigurer, HandlerInterceptor {

    private static final String START = SamplingRequestMetrics.class.getName() + ".start";
    private static final java.util.Set<String> FORMATS = java.util.Set.of("png", "json", "zip");

    private final MeterRegistry registry;

    public SamplingRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void addInterceptors(InterceptorRegistry interceptors) {
        interceptors.addInterceptor(this).addPathPatterns("/samples", "/interpolations");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(START, System.nanoTime());
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        Object start = request.getAttribute(START);
        if (!(start instanceof Long began)) {
            return;
        }
        String format = request.getParameter("format");
        format = format == null ? "png" : format.toLowerCase();
        int status = response.getStatus();
        Timer.builder("gan.sampling.request")
                .description("latency of sampling requests")
                .tag("route", request.getRequestURI()) // not "endpoint": the Prometheus Operator sets that label
                .tag("format", FORMATS.contains(format) ? format : "invalid") // bounded: never echo user input
                .tag("outcome", status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success")
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - began, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
