package io.siyu.api.wecom;

/** Who ended a WeCom contact: {@code del_external_contact} is the staff member, {@code del_follow_user} the customer. */
public enum WeComRemoval {
    STAFF_REMOVED_CUSTOMER,
    CUSTOMER_REMOVED_STAFF
}
