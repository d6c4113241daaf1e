package io.siyu.engine.tier.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.engine.system.SystemProperties;
import io.siyu.engine.tier.TierQualificationPolicy;
import io.siyu.engine.tier.TierRetentionPolicy;

/** The tier policies, built from configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TierProperties.class)
class TierConfiguration {

    @Bean
    TierQualificationPolicy tierQualificationPolicy(TierProperties properties, SystemProperties system) {
        return new TierQualificationPolicy(properties.levels(), properties.basis(), properties.windowMonths(),
                system.businessZone());
    }

    @Bean
    TierRetentionPolicy tierRetentionPolicy(TierQualificationPolicy qualification, TierProperties properties) {
        return new TierRetentionPolicy(qualification, properties.maxStepsDown(), properties.reviewMonths());
    }
}
