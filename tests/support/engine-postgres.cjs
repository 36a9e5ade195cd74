process.env.LEEWAY_TEST_ENGINE = "postgres";
