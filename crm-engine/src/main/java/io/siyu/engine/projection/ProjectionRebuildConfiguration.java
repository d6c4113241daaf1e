package io.siyu.engine.projection;

import java.util.List;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

import io.siyu.projections.support.RebuildableProjection;

/**
 * Registers, for every rebuildable projection, a shadow handler in its own tracking processor
 * ({@code <group>.rebuild}) that does not start with the application: {@link ProjectionRebuilds} starts it.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionRebuildConfiguration {

    static final String SHADOW_SUFFIX = "__rebuild";
    static final String SHADOW_PROCESSOR = ".rebuild";

    @Autowired
    void registerShadows(EventProcessingConfigurer processing, List<RebuildableProjection> projections) {
        for (RebuildableProjection projection : projections) {
            String name = projection.processingGroup() + SHADOW_PROCESSOR;
            Object shadow = projection.shadow(SHADOW_SUFFIX);
            processing.registerEventHandler(configuration -> shadow);
            processing.assignHandlerInstancesMatching(name, Integer.MAX_VALUE, handler -> handler == shadow);
            processing.registerTrackingEventProcessor(name,
                    org.axonframework.config.Configuration::eventStore,
                    configuration -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                            .andBatchSize(100)
                            .andAutoStart(false));
        }
    }
}
