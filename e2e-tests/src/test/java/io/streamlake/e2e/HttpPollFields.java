package io.streamlake.e2e;

/** http-poll's mapping of the random users to the user-profile contract, as dataflow-definitions deploys it. */
final class HttpPollFields {

    static final String[] USER_PROFILE = {"--http-poll.fields.user_id=/login/uuid", "--http-poll.fields.username=/login/username",
            "--http-poll.fields.gender=/gender", "--http-poll.fields.first_name=/name/first", "--http-poll.fields.last_name=/name/last",
            "--http-poll.fields.email=/email", "--http-poll.fields.date_of_birth=/dob/date", "--http-poll.fields.age=/dob/age",
            "--http-poll.fields.phone=/phone", "--http-poll.fields.city=/location/city", "--http-poll.fields.country=/location/country",
            "--http-poll.fields.postcode=/location/postcode", "--http-poll.fields.nationality=/nat",
            "--http-poll.fields.registered_at=/registered/date",
            "--http-poll.fields.street={/location/street/number} {/location/street/name}"};

    private HttpPollFields() {
    }
}
