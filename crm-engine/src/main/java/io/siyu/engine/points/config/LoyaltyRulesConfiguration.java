package io.siyu.engine.points.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siyu.engine.checkin.CheckInRewards;
import io.siyu.engine.points.BaseEarningRule;

/** The named rules the member aggregate decides with, built from configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoyaltyProperties.class)
class LoyaltyRulesConfiguration {

    @Bean
    BaseEarningRule baseEarningRule(LoyaltyProperties properties) {
        return new BaseEarningRule(properties.pointsPerYuan());
    }

    @Bean
    CheckInRewards checkInRewards(LoyaltyProperties properties) {
        return new CheckInRewards(properties.checkIn().points(), properties.checkIn().streakBonuses());
    }
}
