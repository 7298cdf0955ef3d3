<?php
// Creates a user and enrols them in a course as a student (manual enrolment).
// Args: {"course": COURSEID, "username": "...", "password": "..."}
// Result: {"id": USERID, "username": "...", "password": "..."}

require(__DIR__ . '/bootstrap.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/enrollib.php');

$args = lm_args();
lm_act_as(get_admin()->id);

$userid = user_create_user([
    'username' => $args['username'],
    'password' => $args['password'],
    'firstname' => 'Sam',
    'lastname' => 'Student ' . $args['username'],
    'email' => $args['username'] . '@example.com',
    'auth' => 'manual',
    'confirmed' => 1,
    'mnethostid' => $CFG->mnet_localhost_id,
]);
$manual = enrol_get_plugin('manual');
$instance = $DB->get_record('enrol', ['courseid' => $args['course'], 'enrol' => 'manual'], '*', MUST_EXIST);
$manual->enrol_user($instance, $userid, $DB->get_field('role', 'id', ['shortname' => 'student'], MUST_EXIST));

lm_result(['id' => (int)$userid, 'username' => $args['username'], 'password' => $args['password']]);
