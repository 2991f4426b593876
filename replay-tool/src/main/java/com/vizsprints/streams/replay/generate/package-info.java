/**
 * Synthetic input data: {@link com.vizsprints.streams.replay.generate.DataGenerator} writes a
 * users.csv and an events.csv shaped like the sample data (same columns, formats, event names,
 * funnel, sessions) for any number of users, deterministically per seed;
 * {@link com.vizsprints.streams.replay.generate.GenerateCommand} is its command line
 * ({@code replay generate --users N --out DIR [--seed S] [--shuffle]}).
 */
package com.vizsprints.streams.replay.generate;
